using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// A submission that answers an exercise with a kit member the exercise forbids earns nothing for it, in <c>validate</c>
/// and in <c>grade</c> alike, and the message names the call: the check cell's own <c>Kit::Check.OwnWork</c> decides, so
/// VS Code, validate and grade give the same verdict. Every lesson is graded once both ways, with every exercise that has
/// a <c>wrong-kit-*</c> variant (<see cref="VariantTests"/>) answered by its first one and every other exercise by the
/// instructor's solution; lesson 00's 00.2 instead calls σ through a variable another cell set, the path only a real
/// notebook has. (Each listed member is tried in the lesson's own run by <see cref="VariantTests"/>.)
/// </summary>
[Collection("grader")]
public sealed class OwnWorkGradingTests
{
    private const string Lesson00 = "00-start-here.ipynb";

    /// <summary>The cell a student adds above 00.2 in lesson 00's submission: the kit's σ kept in a variable.</summary>
    private const string KeptInAVariable = "Func<double, double> squash = Backprop.Activation.Logistic.Value;";

    private static readonly Lazy<Task<Dictionary<string, Graded>>> s_graded = new(() => Task.Run(GradeEveryLessonAsync));

    /// <summary>One lesson's submission graded both ways, and which kit member each kit-answered exercise calls.</summary>
    private sealed record Graded(SubmissionGrade Validate, SubmissionGrade Grade, Dictionary<string, string> KitCalls);

    public static TheoryData<string> Notebooks() => VariantTests.Notebooks();

    private static async Task<Dictionary<string, Graded>> GradeEveryLessonAsync()
    {
        var kit = EngineFixture.Shared;
        var names = kit.InstructorNotebooks.Select(p => Path.GetFileName(p)).ToList();
        var submissions = names.Select(name => Write(kit, name)).ToList();
        var grader = new Grader(kit.Root, kit.Runner());
        var graded = await EngineFixture.PooledAsync(submissions, s => grader.GradeBothWaysAsync(s.Path));
        return names.Select((name, i) => (name, graded: new Graded(graded[i].Validate, graded[i].Grade, submissions[i].KitCalls)))
            .ToDictionary(p => p.name, p => p.graded, StringComparer.Ordinal);
    }

    /// <summary>The instructor notebook with every exercise that has a kit-call variant answered by it.</summary>
    private static (string Path, Dictionary<string, string> KitCalls) Write(EngineFixture kit, string name)
    {
        var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, name));
        var kitCalls = new Dictionary<string, string>(StringComparer.Ordinal);
        var cells = new List<NotebookCell>();
        foreach (var cell in instructor.Cells.Select(c => c.Copy()))
        {
            if (cell.Marker is { Kind: MarkerKind.Exercise, Id: "00.2" })
            {
                var added = cell.Copy();   // a C# code cell like the exercise's, with the student's line
                added.Source = KeptInAVariable;
                cells.Add(added);
                cell.Source = VariantTests.WithSolution(cell.Source, "    return squash(a);");
                kitCalls["00.2"] = "Activation.Logistic (through the top-level code of a cell)";
            }
            else if (cell.Marker is { Kind: MarkerKind.Exercise } m
                && VariantTests.VariantsOf(m.Id).FirstOrDefault(v => v.Name.StartsWith("wrong-kit-", StringComparison.Ordinal)) is { Name: not null } variant)
            {
                cell.Source = VariantTests.WithSolution(cell.Source, variant.Source);
                kitCalls[m.Id] = VariantTests.KitCallOf(variant.Source) ?? throw new InvalidOperationException($"Variants/{m.Id}/{variant.Name} names no '// Kit call:'");
            }

            cells.Add(cell);
        }

        var path = Path.Combine(kit.Scratch, "kit-answered", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        instructor.WithCells(cells, name).Save(path);
        return (path, kitCalls);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task An_exercise_answered_by_the_kit_earns_nothing_in_validate_and_in_grade_and_the_message_names_the_call(string name)
    {
        var graded = (await s_graded.Value)[name];
        Assert.NotEmpty(graded.KitCalls);

        foreach (var (way, grade) in new[] { ("validate", graded.Validate), ("grade", graded.Grade) })
        {
            foreach (var exercise in grade.Exercises)
            {
                if (graded.KitCalls.TryGetValue(exercise.Id, out var member))
                {
                    Assert.False(exercise.Passed, $"{name} ({way}): {exercise.Id} answered by {member} passed");
                    Assert.Equal(0, exercise.Earned);
                    Assert.Contains($"✘ Exercise {exercise.Id} is your own work:", exercise.Message, StringComparison.Ordinal);
                    Assert.Contains($" calls {member}", exercise.Message, StringComparison.Ordinal);
                }
                else
                {
                    // The instructor's solutions around them still earn their points: one refusal costs only its own exercise.
                    Assert.True(exercise.Passed, $"{name} ({way}): {exercise.Id}: {exercise.Message}");
                }
            }

            Assert.Equal(grade.Exercises.Where(e => !graded.KitCalls.ContainsKey(e.Id)).Sum(e => e.Points), grade.Earned);
            Assert.Empty(grade.Problems);
        }
    }
}
