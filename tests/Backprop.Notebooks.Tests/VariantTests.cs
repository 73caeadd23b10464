using Backprop.Course;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// Every exercise's checks (visible and hidden, as the grader runs them) accept correct solutions written in other ways
/// and reject the classic mistakes. The solutions live in <c>Variants/&lt;exercise id&gt;/</c>: each <c>correct-*.cs</c> or
/// <c>wrong-*.cs</c> file replaces the lines between <c>// BEGIN SOLUTION</c> and <c>// END SOLUTION</c> of that exercise.
/// </summary>
/// <remarks>
/// One engine run per lesson: after each exercise's check cell, every variant of that exercise runs as an exercise cell
/// followed by the instructor's check cell (hidden checks included), and then the instructor's own solution runs again,
/// so the rest of the lesson sees what it always sees.
/// </remarks>
[Collection("notebooks")]
public sealed class VariantTests
{
    private readonly EngineFixture kit = EngineFixture.Shared;

    private static string VariantsFolder => Path.Combine(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), "tests", "Backprop.Notebooks.Tests", "Variants");

    public static TheoryData<string> Notebooks() =>
        [.. Directory.GetFiles(Path.Combine(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).Select(p => Path.GetFileName(p))];

    /// <summary>The variants of one exercise: (file name, source, whether it is correct).</summary>
    private static List<(string Name, string Source, bool Correct)> VariantsOf(string id)
    {
        var folder = Path.Combine(VariantsFolder, id);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'), Path.GetFileName(f).StartsWith("correct-", StringComparison.Ordinal)))];
    }

    /// <summary>The exercise cell's source with its solution region replaced by <paramref name="solution"/>.</summary>
    internal static string WithSolution(string exercise, string solution)
    {
        var lines = exercise.Split('\n');
        var begin = Array.FindIndex(lines, l => l.Trim() == Marker.BeginSolution);
        var end = Array.FindIndex(lines, l => l.Trim() == Marker.EndSolution);
        Assert.True(begin >= 0 && end > begin, $"the exercise cell has no {Marker.BeginSolution} … {Marker.EndSolution} region:\n{exercise}");
        return string.Join("\n", [.. lines[..(begin + 1)], solution, .. lines[end..]]);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_exercise_has_a_correct_variant_written_differently_and_a_classic_mistake(string name)
    {
        var notebook = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, name));
        foreach (var exercise in notebook.Cells.Where(c => c.Marker?.Kind == MarkerKind.Exercise))
        {
            var id = exercise.Marker!.Id;
            var variants = VariantsOf(id);
            Assert.True(variants.Any(v => v.Correct), $"{name}: exercise {id} has no Variants/{id}/correct-*.cs");
            Assert.True(variants.Any(v => !v.Correct), $"{name}: exercise {id} has no Variants/{id}/wrong-*.cs");
            Assert.All(variants, v => Assert.True(v.Correct || v.Name.StartsWith("wrong-", StringComparison.Ordinal), $"Variants/{id}/{v.Name}: name it correct-*.cs or wrong-*.cs"));

            var own = WithSolution(exercise.Source, "");
            Assert.All(variants.Where(v => v.Correct), v => Assert.NotEqual(Normalised(exercise.Source), Normalised(WithSolution(own, v.Source))));
        }

        static string Normalised(string code) => string.Concat(code.Where(c => !char.IsWhiteSpace(c)));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task The_checks_accept_every_correct_variant_and_reject_every_classic_mistake(string name)
    {
        var notebook = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, name));
        var cells = new List<NotebookCell>();
        var expectations = new List<(int ExerciseCell, int CheckCell, string Id, string Variant, bool Correct)>();
        NotebookCell? exercise = null;
        foreach (var cell in notebook.Cells)
        {
            cells.Add(cell.Copy());
            if (cell.Marker?.Kind == MarkerKind.Exercise)
            {
                exercise = cell;
            }
            else if (cell.Marker?.Kind == MarkerKind.Check && exercise?.Marker?.Id == cell.Marker.Id)
            {
                var variants = VariantsOf(cell.Marker.Id);
                foreach (var (variant, source, correct) in variants)
                {
                    var attempt = exercise.Copy();
                    attempt.Source = WithSolution(exercise.Source, source);
                    cells.Add(attempt);
                    cells.Add(cell.Copy());
                    expectations.Add((cells.Count - 2, cells.Count - 1, cell.Marker.Id, variant, correct));
                }

                if (variants.Count > 0)
                {
                    cells.Add(exercise.Copy());   // the instructor's solution again, for the cells that follow
                }
            }
        }

        if (expectations.Count == 0)
        {
            return;   // no variants yet: the test above says which are missing
        }

        var run = await kit.Runner().RunAsync(notebook.WithCells(cells, "variants-" + name), kit.NotebooksFolder);

        var wrong = new List<string>();
        foreach (var (exerciseCell, checkCell, id, variant, correct) in expectations)
        {
            var attempt = run.Cells.Single(c => c.CellNumber == exerciseCell + 1);
            var check = run.Cells.Single(c => c.CellNumber == checkCell + 1);
            if (attempt.Status != CellStatus.Succeeded)
            {
                wrong.Add($"{id}/{variant}: the variant itself did not run ({attempt.Status}: {attempt.ShortError})");
            }
            else if (correct && check.Status != CellStatus.Succeeded)
            {
                wrong.Add($"{id}/{variant}: a correct solution was rejected: {check.ShortError}");
            }
            else if (!correct && check.Status == CellStatus.Succeeded)
            {
                wrong.Add($"{id}/{variant}: a classic mistake passed the checks");
            }
            else if (!correct && check.Error is { } message && message.Contains(Backprop.Coursework.Check.NotAttemptedMessage, StringComparison.Ordinal))
            {
                wrong.Add($"{id}/{variant}: a mistake was reported as not attempted: {check.ShortError}");
            }
        }

        var others = run.Cells.Where(c => c.Status != CellStatus.Succeeded && !expectations.Any(e => c.CellNumber == e.CheckCell + 1 || c.CellNumber == e.ExerciseCell + 1));
        wrong.AddRange(others.Select(c => $"cell {c.CellNumber} of the lesson failed after the variants ran: {c.ShortError}"));
        Assert.True(wrong.Count == 0, $"{name}:\n" + string.Join("\n", wrong));
    }
}
