using System.Globalization;
using System.Text.RegularExpressions;
using Backprop.Course.Grading;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The exercise analysis over the classic mistakes of <see cref="VariantTests"/> (issue 23, item 4's done-when): each wrong
/// variant's check message, as the lessons' shared run gave it (no engine run of its own), is a student of a made-up class;
/// the named classic mistakes (a sign flip, a missing h′, a dropped bias column, a forward difference, a missing ½) fall in
/// groups of their own, and the same mistake with other numbers (a second student whose message has every measured value
/// scaled) falls in the same group as the first.
/// </summary>
[Collection("notebooks")]
public sealed partial class AnalysisVariantTests
{
    /// <summary>Classic mistakes of one exercise (found by their variants' names, whatever the exercise's number) that a lecturer must see apart.</summary>
    private static readonly string[][] s_apart =
    [
        ["wrong-sign-flip.cs", "wrong-missing-derivative.cs", "wrong-no-bias-column.cs"],          // the capstone's backward pass for any depth
        ["wrong-sign.cs", "wrong-no-slope.cs", "wrong-bias-column-in-backprop.cs"],                // lesson 02's two gradient matrices
        ["wrong-bias-column-used.cs", "wrong-no-slope.cs"],                                        // lesson 02's hidden deltas
        ["wrong-no-bias-column.cs", "wrong-transposed.cs"],                                        // lesson 02's δ × input
        ["wrong-divides-by-epsilon.cs", "wrong-forward-difference.cs"],                            // the central difference for one weight
        ["wrong-missing-half.cs", "wrong-forward-difference.cs"],                                   // the capstone's central-difference gradient
    ];

    private readonly EngineFixture kit = EngineFixture.Shared;

    /// <summary>Every wrong variant's message (exercise id, variant file, message), from the shared lesson runs.</summary>
    private async Task<List<(string Id, string Variant, string Message)>> MessagesAsync()
    {
        var messages = new List<(string, string, string)>();
        foreach (var name in kit.InstructorNotebooks.Select(p => Path.GetFileName(p)))
        {
            var lesson = await kit.LessonRunAsync(name);
            foreach (var variant in lesson.Variants.Where(v => !v.Correct))
            {
                var error = lesson.Whole.Cells.Single(c => c.CellNumber == variant.CheckCell).Error;
                messages.Add((variant.Id, variant.Variant, (error ?? "").Trim()));
            }
        }

        return messages;
    }

    [Fact]
    public async Task The_classic_mistakes_of_the_variant_tests_fall_in_their_own_groups_and_other_numbers_do_not_split_them()
    {
        var messages = await MessagesAsync();
        var graded = new List<(string, SubmissionGrade)>();
        foreach (var (id, variant, message) in messages)
        {
            graded.Add(($"{id}/{variant}", Grade(id, message)));
            graded.Add(($"{id}/{variant} (other numbers)", Grade(id, Scaled(message))));
        }

        var analysis = ExerciseAnalysis.Of(graded);
        var groupOf = analysis.Exercises.SelectMany(e => e.Failures.SelectMany(f => f.Students.Select(s => (s, f.Pattern)))).ToDictionary(p => p.s, p => p.Pattern);
        var report = new List<string>();
        foreach (var (id, variant, _) in messages)
        {
            if (groupOf[$"{id}/{variant}"] != groupOf[$"{id}/{variant} (other numbers)"])
            {
                report.Add($"{id}/{variant}: other numbers make another group:\n  {groupOf[$"{id}/{variant}"]}\n  {groupOf[$"{id}/{variant} (other numbers)"]}");
            }
        }

        foreach (var set in s_apart)
        {
            var ids = messages.GroupBy(m => m.Id).Where(g => set.All(v => g.Any(m => m.Variant == v))).Select(g => g.Key).ToList();
            Assert.True(ids.Count >= 1, $"no exercise has the variants {string.Join(", ", set)} (renamed? update this test)");
            foreach (var id in ids)
            {
                var patterns = set.Select(v => groupOf[$"{id}/{v}"]).ToList();
                if (patterns.Distinct().Count() != set.Length)
                {
                    report.Add($"{id}: {string.Join(", ", set)} share a group:\n  " + string.Join("\n  ", patterns));
                }
            }
        }

        Assert.True(report.Count == 0, string.Join("\n", report));
        var groups = analysis.Exercises.Sum(e => e.Failures.Count);
        Console.WriteLine($"analysis of the variant tests: {messages.Count} classic mistakes in {groups} groups over {analysis.Exercises.Count} exercises");
    }

    private static SubmissionGrade Grade(string id, string message) =>
        new($"{id}.ipynb", id.Split('.')[0], [new ExerciseGrade(id, 1, 0, false, message)], 0, 1, []);

    /// <summary>
    /// The message with its values times 1.37: the same mistake on other data. Both numbers of an "expected E, got G" pair
    /// are scaled (whole numbers too: what G is to E stays), and every other number with a fraction or an exponent;
    /// other whole numbers (counts, sizes, indexes) stay.
    /// </summary>
    private static string Scaled(string message) => Measured().Replace(message, m => m.Groups["e"].Success
        ? $"expected {Times(m.Groups["e"].Value)}, got {Times(m.Groups["g"].Value)}"
        : Times(m.Value));

    private static string Times(string number) =>
        (double.Parse(number.Replace('−', '-'), NumberStyles.Float, CultureInfo.InvariantCulture) * 1.37).ToString("G6", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"expected (?<e>[-−]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?), got (?<g>[-−]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(?<![\p{L}\p{N}_.])[-−]?(?:\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+)")]
    private static partial Regex Measured();
}
