using Backprop.Course.Notebooks;
using Backprop.Course.Running;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// Every exercise's checks (visible and hidden, as the grader runs them) accept correct solutions written in other ways
/// and reject the classic mistakes. The solutions live in <c>Variants/&lt;exercise id&gt;/</c>: each <c>correct-*.cs</c> or
/// <c>wrong-*.cs</c> file replaces the lines between <c>// BEGIN SOLUTION</c> and <c>// END SOLUTION</c> of that exercise.
/// An exercise with several solution regions (two functions, say) takes one part per region, in order, separated by a
/// <c>// NEXT SOLUTION</c> line; a part that reads <c>// KEEP</c>, or a missing last part, keeps the instructor's solution there.
/// </summary>
/// <remarks>
/// No engine run of its own: the variants run in the lesson's run (<see cref="LessonRun"/>), the kernel that ran the
/// instructor notebook, after its last cell: every variant of an exercise as an exercise cell followed by the instructor's
/// check cell (hidden checks included) and, for a wrong variant, the release's check cell (the public checks only), then
/// the instructor's own solution again, for the next exercise's variants. A wrong variant fails the public checks too,
/// unless its file says why not in a <c>// Public check passes: …</c> line (the inputs only the hidden checks hold).
/// </remarks>
[Collection("notebooks")]
public sealed class VariantTests
{
    private readonly EngineFixture kit = EngineFixture.Shared;

    private static string VariantsFolder => Path.Combine(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), "tests", "Backprop.Notebooks.Tests", "Variants");

    public static TheoryData<string> Notebooks() =>
        [.. Directory.GetFiles(Path.Combine(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).Select(p => Path.GetFileName(p))];

    /// <summary>The variants of one exercise: (file name, source, whether it is correct).</summary>
    internal static List<(string Name, string Source, bool Correct)> VariantsOf(string id)
    {
        var folder = Path.Combine(VariantsFolder, id);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n'), Path.GetFileName(f).StartsWith("correct-", StringComparison.Ordinal)))];
    }

    /// <summary>A wrong variant that answers with a kit member the exercise forbids; its '// Kit call: Type.Member' line names it.</summary>
    private const string KitCallPrefix = "wrong-kit-";

    /// <summary>The kit member a <c>wrong-kit-*.cs</c> variant calls, from its <c>// Kit call: Type.Member</c> line.</summary>
    internal static string? KitCallOf(string source) =>
        source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("// Kit call: ", StringComparison.Ordinal)) is { } line
            ? line["// Kit call: ".Length..].Split(' ')[0]
            : null;

    /// <summary>
    /// The kit members a check cell's <c>Kit::Check.OwnWork(id, new[] { … }, …)</c> lists (its second argument's string
    /// literals, read with Roslyn), or null when the check cell has no such call.
    /// </summary>
    internal static IReadOnlyList<string>? OwnWorkList(string checkSource)
    {
        var root = CSharpSyntaxTree.ParseText(checkSource, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();
        var call = root.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .SingleOrDefault(i => i.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "OwnWork" });
        return call is null ? null
            : [.. call.ArgumentList.Arguments[1].Expression.DescendantNodesAndSelf().OfType<LiteralExpressionSyntax>()
                .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)).Select(l => l.Token.ValueText)];
    }

    /// <summary>
    /// Whether a variant's <c>// Kit call: Type.Member</c> names the OwnWork entry <paramref name="entry"/>: the member itself
    /// ("Mlp.Backward" for "Backprop.Mlp.Backward"), or a member of a listed type ("GradientChecker.Derivative" for "Backprop.GradientChecker").
    /// </summary>
    internal static bool KitCallNames(string kitCall, string entry) =>
        ("." + entry).EndsWith("." + kitCall, StringComparison.Ordinal)
        || (kitCall.LastIndexOf('.') is > 0 and var dot && ("." + entry).EndsWith("." + kitCall[..dot], StringComparison.Ordinal));

    /// <summary>Why a wrong variant passes the release's public checks, from its <c>// Public check passes: …</c> line; null when it has none.</summary>
    internal static string? PublicCheckNoteOf(string source) =>
        source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(PublicCheckPasses, StringComparison.Ordinal)) is { } line
            ? line[PublicCheckPasses.Length..].Trim()
            : null;

    private const string PublicCheckPasses = "// Public check passes:";

    private const string NextSolution = "// NEXT SOLUTION";
    private const string Keep = "// KEEP";

    /// <summary>A variant's parts, one per solution region (see the class remarks); null where it keeps the instructor's.</summary>
    internal static string?[] Parts(string solution) =>
        [.. solution.Split('\n').Aggregate(new List<List<string>> { new() }, (parts, line) =>
            {
                if (line.Trim() == NextSolution)
                {
                    parts.Add([]);
                }
                else
                {
                    parts[^1].Add(line);
                }

                return parts;
            })
            .Select(part => string.Join("\n", part).Trim('\n'))
            .Select(part => part.Trim() == Keep ? null : part)];

    /// <summary>How many solution regions the exercise cell has.</summary>
    internal static int RegionCount(string exercise) => exercise.Split('\n').Count(l => l.Trim() == Marker.BeginSolution);

    /// <summary>The exercise cell's source with its solution regions replaced by the parts of <paramref name="solution"/>.</summary>
    internal static string WithSolution(string exercise, string solution)
    {
        var lines = exercise.Split('\n');
        string?[] parts = Parts(solution);
        int regions = RegionCount(exercise);
        Assert.True(regions >= 1, $"the exercise cell has no {Marker.BeginSolution} … {Marker.EndSolution} region:\n{exercise}");
        Assert.True(parts.Length <= regions, $"the variant has {parts.Length} parts ({NextSolution} lines + 1) but the exercise has only {regions} solution region(s)");
        var result = new List<string>();
        int region = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            result.Add(lines[i]);
            if (lines[i].Trim() != Marker.BeginSolution)
            {
                continue;
            }

            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == Marker.EndSolution);
            Assert.True(end > i, $"a {Marker.BeginSolution} without its {Marker.EndSolution}:\n{exercise}");
            if (region < parts.Length && parts[region] is { } part)
            {
                result.Add(part);
                i = end - 1;   // the END line is added by the next iteration
            }

            region++;
        }

        return string.Join("\n", result);
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
            var check = notebook.Cells.Single(c => c.Marker is { Kind: MarkerKind.Check } m && m.Id == id);
            EveryListedKitMemberHasAVariant(name, id, check.Source, variants);
            Assert.All(variants.Where(v => v.Correct), v => Assert.True(PublicCheckNoteOf(v.Source) is null,
                $"Variants/{id}/{v.Name}: a correct variant passes every check; '{PublicCheckPasses}' belongs in wrong variants only"));

            // Every solution region (each function of a two-function exercise) is replaced by a correct variant written
            // differently from the instructor's and by at least one classic mistake.
            for (int region = 0; region < RegionCount(exercise.Source); region++)
            {
                var replacing = variants.Where(v => Parts(v.Source) is var parts && region < parts.Length && parts[region] is not null).ToList();
                Assert.True(replacing.Any(v => v.Correct && Normalised(WithSolution(exercise.Source, v.Source)) != Normalised(exercise.Source)),
                    $"{name}: solution region {region + 1} of exercise {id} has no correct variant written differently from the instructor's (Variants/{id}/correct-*.cs)");
                Assert.True(replacing.Any(v => !v.Correct),
                    $"{name}: solution region {region + 1} of exercise {id} has no classic mistake (Variants/{id}/wrong-*.cs)");
            }
        }

        static string Normalised(string code) => string.Concat(code.Where(c => !char.IsWhiteSpace(c)));
    }

    /// <summary>Each entry of the check cell's OwnWork list is answered by a wrong-kit variant whose '// Kit call:' line names it.</summary>
    private static void EveryListedKitMemberHasAVariant(string name, string id, string checkSource, List<(string Name, string Source, bool Correct)> variants)
    {
        var kitCalls = variants.Where(v => v.Name.StartsWith(KitCallPrefix, StringComparison.Ordinal)).ToList();
        Assert.All(kitCalls, v => Assert.True(KitCallOf(v.Source) is not null,
            $"Variants/{id}/{v.Name}: say which kit member it calls in a '// Kit call: Type.Member' line"));
        Assert.True(OwnWorkList(checkSource) is not null || !checkSource.Contains("OwnWork(", StringComparison.Ordinal),
            $"{name}: the check cell of {id} mentions OwnWork, but no Kit::Check.OwnWork(id, new[] {{ … }}, …) call was read from it");
        foreach (var entry in OwnWorkList(checkSource) ?? [])
        {
            Assert.True(kitCalls.Any(v => KitCallOf(v.Source) is { } call && KitCallNames(call, entry)),
                $"{name}: exercise {id} forbids {entry} (its check cell's OwnWork list) but no Variants/{id}/{KitCallPrefix}*.cs answers with it " +
                $"(a right answer that calls it, with a '// Kit call: Type.Member' line naming it; for a whole type, one of its members)");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task The_checks_accept_every_correct_variant_and_reject_every_classic_mistake(string name)
    {
        var lesson = await kit.LessonRunAsync(name);
        var run = lesson.Whole;
        var expectations = lesson.Variants;
        if (expectations.Count == 0)
        {
            return;   // no variants yet: the test above says which are missing
        }

        var wrong = new List<string>();
        foreach (var variant in expectations)
        {
            wrong.AddRange(Problems(run, variant));
        }

        var others = run.Cells.Where(c => c.Status != CellStatus.Succeeded
            && !expectations.Any(e => c.CellNumber == e.CheckCell || c.CellNumber == e.ExerciseCell || c.CellNumber == e.PublicCheckCell));
        wrong.AddRange(others.Select(c => $"cell {c.CellNumber} of the lesson's run failed (not a variant's cell): {c.ShortError}"));
        Assert.True(wrong.Count == 0, $"{name}:\n" + string.Join("\n", wrong));
    }

    /// <summary>What is wrong with one variant's cells in the lesson's run: the instructor's check, then the release's.</summary>
    private static IEnumerable<string> Problems(NotebookRun run, VariantRun expectation)
    {
        var (exerciseCell, checkCell, publicCheckCell, id, variant, correct) = expectation;
        var attempt = run.Cells.Single(c => c.CellNumber == exerciseCell);
        var check = run.Cells.Single(c => c.CellNumber == checkCell);
        var source = VariantsOf(id).Single(v => v.Name == variant).Source;
        if (attempt.Status != CellStatus.Succeeded)
        {
            yield return $"{id}/{variant}: the variant itself did not run ({attempt.Status}: {attempt.ShortError})";
            yield break;
        }

        if (correct)
        {
            if (check.Status != CellStatus.Succeeded)
            {
                yield return $"{id}/{variant}: a correct solution was rejected: {check.ShortError}";
            }

            yield break;
        }

        if (check.Status == CellStatus.Succeeded)
        {
            yield return $"{id}/{variant}: a classic mistake passed the checks";
        }
        else if (check.Error is { } message && message.Contains(Backprop.Coursework.Check.NotAttemptedMessage, StringComparison.Ordinal))
        {
            yield return $"{id}/{variant}: a mistake was reported as not attempted: {check.ShortError}";
        }
        else if (variant.StartsWith(KitCallPrefix, StringComparison.Ordinal) && KitCallOf(source) is { } member
            && !(check.Error is { } refusal && refusal.Contains($"✘ Exercise {id} is your own work:", StringComparison.Ordinal) && refusal.Contains($" calls {member}", StringComparison.Ordinal)))
        {
            yield return $"{id}/{variant}: the answer by the kit's {member} failed, but not as a call of {member}: {check.ShortError}";
        }

        if (publicCheckCell is { } number && PublicProblem(run, number, id, variant, PublicCheckNoteOf(source)) is { } problem)
        {
            yield return problem;
        }
    }

    /// <summary>
    /// What is wrong with a wrong variant's run of the release's check cell: it says "✔ passed" without a
    /// '// Public check passes:' note, it fails in spite of one (a stale note), or it records the answer (06.3) with
    /// another message than the release's "answer recorded … checked when your lecturer grades". Null when all is well.
    /// </summary>
    private static string? PublicProblem(NotebookRun run, int cellNumber, string id, string variant, string? note)
    {
        var cell = run.Cells.Single(c => c.CellNumber == cellNumber);
        var printed = string.Concat(run.Executed.Cells[cellNumber - 1].Outputs.OfType<StreamOutput>().Select(o => o.Text));
        bool recorded = cell.Status == CellStatus.Succeeded && printed.Contains($"Exercise {id} (", StringComparison.Ordinal)
            && printed.Contains("answer recorded", StringComparison.Ordinal);
        bool passed = cell.Status == CellStatus.Succeeded && !recorded;
        if (recorded && !(printed.Contains("checked when your lecturer grades", StringComparison.Ordinal) && !printed.Contains("passed", StringComparison.Ordinal)))
        {
            return $"{id}/{variant}: the public check recorded the answer, but not with the release's message: {printed.Trim()}";
        }

        if (passed && !printed.Contains($"✔ Exercise {id} passed", StringComparison.Ordinal))
        {
            return $"{id}/{variant}: the public check succeeded without saying passed or recorded: {printed.Trim()}";
        }

        return (passed, note) switch
        {
            (true, null) => $"{id}/{variant}: a classic mistake passed the release's public check ({printed.Trim()}): strengthen the public check, " +
                $"or, if only the hidden checks' inputs show it, say which in a '{PublicCheckPasses} …' line",
            (false, { }) => $"{id}/{variant}: says '{PublicCheckPasses} {note}', but the public check " +
                (recorded ? "only records the answer" : $"fails: {cell.ShortError}") + " — remove the stale line",
            _ => null,
        };
    }
}
