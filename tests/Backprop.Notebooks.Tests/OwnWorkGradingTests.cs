using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// A submission that answers an exercise with a kit member the exercise forbids earns nothing for it, in <c>validate</c>
/// and in <c>grade</c> alike, and the message names the call: the check cell's own <c>Kit::Check.OwnWork</c> decides, so
/// VS Code, validate and grade give the same verdict. Every <c>wrong-kit-*</c> variant (<see cref="VariantTests"/>: one
/// for each member on each exercise's list) is graded both ways: a lesson's k-th submission answers each exercise with its
/// k-th kit variant (the instructor's solution where it has fewer), so a lesson needs as many submissions as its exercise
/// with the most. Lesson 00's first submission calls σ through a variable another cell set instead, a path only a real
/// notebook has.
/// </summary>
[Collection("grader")]
public sealed class OwnWorkGradingTests
{
    private const string Lesson00 = "00-start-here.ipynb";

    /// <summary>The cell a student adds above 00.2 in lesson 00's submission: the kit's σ kept in a variable.</summary>
    private const string KeptInAVariable = "Func<double, double> squash = Backprop.Activation.Logistic.Value;";

    private static readonly Lazy<Task<Dictionary<string, List<Graded>>>> s_graded = new(() => Task.Run(GradeEveryLessonAsync));

    /// <summary>One submission graded both ways, and which kit member each kit-answered exercise calls.</summary>
    private sealed record Graded(string Path, SubmissionGrade Validate, SubmissionGrade Grade, Dictionary<string, string> KitCalls);

    public static TheoryData<string> Notebooks() => VariantTests.Notebooks();

    private static async Task<Dictionary<string, List<Graded>>> GradeEveryLessonAsync()
    {
        var kit = EngineFixture.Shared;
        var submissions = new List<(string Lesson, string Path, Dictionary<string, string> KitCalls)>();
        foreach (var name in kit.InstructorNotebooks.Select(p => Path.GetFileName(p)))
        {
            var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, name));
            var most = instructor.Cells.Where(c => c.Marker?.Kind == MarkerKind.Exercise).Max(c => KitVariants(c.Marker!.Id).Count);
            for (var k = 0; k < most; k++)
            {
                var (path, calls) = Write(kit, instructor, name, k, throughAVariable: false);
                submissions.Add((name, path, calls));
            }

            if (name == Lesson00)
            {
                var (path, calls) = Write(kit, instructor, name, most, throughAVariable: true);
                submissions.Add((name, path, calls));
            }
        }

        var grader = new Grader(kit.Root, kit.Runner());
        var graded = await EngineFixture.PooledAsync(submissions, s => grader.GradeBothWaysAsync(s.Path));
        return submissions.Select((s, i) => (s.Lesson, Graded: new Graded(s.Path, graded[i].Validate, graded[i].Grade, s.KitCalls)))
            .GroupBy(g => g.Lesson, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Graded).ToList(), StringComparer.Ordinal);
    }

    private static List<(string Name, string Source, bool Correct)> KitVariants(string id) =>
        [.. VariantTests.VariantsOf(id).Where(v => v.Name.StartsWith("wrong-kit-", StringComparison.Ordinal))];

    /// <summary>
    /// The instructor notebook with every exercise that has a k-th kit-call variant answered by it; or, <paramref name="throughAVariable"/>,
    /// with only 00.2 answered by the kit's σ that a cell the student added keeps in a variable.
    /// </summary>
    private static (string Path, Dictionary<string, string> KitCalls) Write(EngineFixture kit, NotebookDocument instructor, string name, int k, bool throughAVariable)
    {
        var kitCalls = new Dictionary<string, string>(StringComparer.Ordinal);
        var cells = new List<NotebookCell>();
        foreach (var cell in instructor.Cells.Select(c => c.Copy()))
        {
            if (throughAVariable && cell.Marker is { Kind: MarkerKind.Exercise, Id: "00.2" })
            {
                var added = cell.Copy();   // a C# code cell like the exercise's, with the student's line
                added.Source = KeptInAVariable;
                cells.Add(added);
                cell.Source = VariantTests.WithSolution(cell.Source, "    return squash(a);");
                kitCalls["00.2"] = "Activation.Logistic (through the top-level code of a cell)";
            }
            else if (!throughAVariable && cell.Marker is { Kind: MarkerKind.Exercise } m && KitVariants(m.Id) is { } variants && k < variants.Count)
            {
                cell.Source = VariantTests.WithSolution(cell.Source, variants[k].Source);
                kitCalls[m.Id] = VariantTests.KitCallOf(variants[k].Source) ?? throw new InvalidOperationException($"Variants/{m.Id}/{variants[k].Name} names no '// Kit call:'");
            }

            cells.Add(cell);
        }

        var path = Path.Combine(kit.Scratch, "kit-answered", $"k{k}", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        instructor.WithCells(cells, name).Save(path);
        return (path, kitCalls);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task An_exercise_answered_by_the_kit_earns_nothing_in_validate_and_in_grade_and_the_message_names_the_call(string name)
    {
        var submissions = (await s_graded.Value)[name];
        Assert.Contains(submissions, s => s.KitCalls.Count > 0);

        foreach (var graded in submissions)
        {
            foreach (var (way, grade) in new[] { ("validate", graded.Validate), ("grade", graded.Grade) })
            {
                var where = $"{name}, {Path.GetFileName(Path.GetDirectoryName(graded.Path))} ({way})";
                foreach (var exercise in grade.Exercises)
                {
                    if (graded.KitCalls.TryGetValue(exercise.Id, out var member))
                    {
                        Assert.False(exercise.Passed, $"{where}: {exercise.Id} answered by {member} passed");
                        Assert.Equal(0, exercise.Earned);
                        Assert.Contains($"✘ Exercise {exercise.Id} is your own work:", exercise.Message, StringComparison.Ordinal);
                        Assert.Contains($" calls {member}", exercise.Message, StringComparison.Ordinal);
                    }
                    else
                    {
                        // The instructor's solutions around them still earn their points: one refusal costs only its own exercise.
                        Assert.True(exercise.Passed, $"{where}: {exercise.Id}: {exercise.Message}");
                    }
                }

                Assert.Equal(grade.Exercises.Where(e => !graded.KitCalls.ContainsKey(e.Id)).Sum(e => e.Points), grade.Earned);
                Assert.True(grade.Problems.Count == 0, $"{where}: {string.Join("; ", grade.Problems)}");
            }
        }
    }

    [Fact]
    public async Task Every_kit_call_variant_is_graded()
    {
        var graded = (await s_graded.Value).Values.SelectMany(s => s).Sum(s => s.KitCalls.Count);
        var variants = EngineFixture.Shared.InstructorNotebooks
            .SelectMany(p => NotebookDocument.Load(p).Cells.Where(c => c.Marker?.Kind == MarkerKind.Exercise))
            .Sum(c => KitVariants(c.Marker!.Id).Count);

        Assert.True(variants >= 34, $"only {variants} wrong-kit variants: VariantTests asks one per listed member");
        Assert.Equal(variants + 1, graded);   // and 00.2 once more, through another cell's variable
    }
}
