using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Transforms;

/// <summary>
/// Transform (release with a roster; grade, validate): the variant cell, the code cell after the setup cells that gives
/// a student's copy of a lesson its own seeds (one <c>Kit::Variant.Use(student, exercise, seed)</c> line per exercise that
/// opts in). An exercise opts in when the lesson's cells call <c>Kit::Variant.Draw("ID", …)</c> or <c>Kit::Variant.Seed("ID")</c>.
/// The grader never runs a submission's variant cell: it writes the cell again (<see cref="Source"/>) from what it decided.
/// </summary>
internal static partial class VariantCell
{
    /// <summary>How a variant cell's first line starts.</summary>
    public const string MarkerLine = "// VARIANT";

    /// <summary>The exercises of <paramref name="lesson"/> that draw from a per-student seed, in id order.</summary>
    public static IReadOnlyList<string> Exercises(NotebookDocument lesson) =>
        [.. lesson.Cells.Where(c => c.IsCode).SelectMany(c => DrawPattern().Matches(c.Source).Select(m => m.Groups["id"].Value))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The draws of <paramref name="lesson"/>'s cells whose range is written in whole-number literals
    /// (<c>Kit::Variant.Draw("ID", from, to, standard: s)</c>), one per exercise and range, in id and range order: the parameters
    /// of a variant the grader can work out from the seed alone (<see cref="VariantKey.Drawn"/>). A draw whose range is computed,
    /// or is empty (to below from: <c>Variant.Draw</c> would throw), is left out, and so is an exercise that only calls
    /// <c>Variant.Seed</c>: it keeps its variant, the analysis has no parameter to show for it.
    /// </summary>
    public static IReadOnlyList<(string Exercise, int From, int To)> Draws(NotebookDocument lesson) =>
        [.. lesson.Cells.Where(c => c.IsCode).SelectMany(c => RangePattern().Matches(c.Source))
            .Select(m => (Exercise: m.Groups["id"].Value, From: Whole(m.Groups["from"].Value), To: Whole(m.Groups["to"].Value)))
            .Where(d => d.To >= d.From).Select(d => (d.Exercise, From: d.From!.Value, To: d.To!.Value)).Distinct()
            .OrderBy(d => d.Exercise, StringComparer.Ordinal).ThenBy(d => d.From).ThenBy(d => d.To)];

    private static int? Whole(string literal) => int.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Whether <paramref name="cell"/> is a variant cell (a code cell whose first line starts <see cref="MarkerLine"/>).</summary>
    public static bool Is(NotebookCell cell) => cell.IsCode && cell.Source.TrimStart().StartsWith(MarkerLine, StringComparison.Ordinal);

    /// <summary>The variant cell's text for <paramref name="student"/> with one seed per exercise.</summary>
    public static string Source(string student, IReadOnlyList<(string Exercise, int Seed)> seeds) =>
        $"{MarkerLine} — your own numbers for exercise{(seeds.Count == 1 ? "" : "s")} {string.Join(", ", seeds.Select(s => s.Exercise))}, drawn for student {student}.\n"
        + "// Do not edit or move this cell: the grader writes it again from your student id, and a notebook whose variant cell was edited,\n"
        + "// deleted or is another student's earns nothing for these exercises. Run it after the setup cells.\n"
        + string.Join("\n", seeds.Select(s => string.Create(CultureInfo.InvariantCulture, $"Kit::Variant.Use(\"{student}\", \"{s.Exercise}\", {s.Seed});")));

    /// <summary>What a variant cell's text says: the student and the seeds, or null when it is not exactly a variant cell as <see cref="Source"/> writes one.</summary>
    public static (string Student, IReadOnlyList<(string Exercise, int Seed)> Seeds)? Parse(string source)
    {
        var uses = UsePattern().Matches(source);
        if (uses.Count == 0 || uses.Select(u => u.Groups["student"].Value).Distinct(StringComparer.Ordinal).Count() != 1)
        {
            return null;
        }

        var seeds = new List<(string, int)>();
        foreach (Match use in uses)
        {
            if (!int.TryParse(use.Groups["seed"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
            {
                return null;
            }

            seeds.Add((use.Groups["exercise"].Value, seed));
        }

        var student = uses[0].Groups["student"].Value;
        return Same(source, Source(student, seeds)) ? (student, seeds) : null;
    }

    /// <summary>Whether two cells' texts are the same but for line endings and white space at line ends and around.</summary>
    public static bool Same(string a, string b) => Normalize(a) == Normalize(b);

    /// <summary>A new code cell holding <paramref name="source"/>, with the metadata (the cell's kernel) of <paramref name="like"/>.</summary>
    public static NotebookCell NewCell(NotebookCell like, string source)
    {
        var cell = new NotebookCell(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["metadata"] = like.Json["metadata"]?.DeepClone() ?? new JsonObject(),
            ["outputs"] = new JsonArray(),
            ["source"] = new JsonArray(),
        });
        cell.Source = source;
        return cell;
    }

    /// <summary>
    /// <paramref name="notebook"/> with a variant cell of <paramref name="source"/> after its last setup cell (any variant cell it
    /// had is dropped); unchanged when <paramref name="source"/> is null.
    /// </summary>
    /// <exception cref="CourseException">The notebook has no setup cell to put the variant cell after.</exception>
    public static NotebookDocument Insert(NotebookDocument notebook, string? source)
    {
        if (source is null)
        {
            return notebook;
        }

        var cells = notebook.Cells.Where(c => !Is(c)).ToList();
        var lastSetup = cells.FindLastIndex(c => c.Marker?.Kind == MarkerKind.Setup);
        if (lastSetup < 0)
        {
            throw new CourseException($"{notebook.Name}: has exercises with variants but no setup cell to put the variant cell after.");
        }

        cells.Insert(lastSetup + 1, NewCell(cells[lastSetup], source));
        return notebook.WithCells(cells);
    }

    private static string Normalize(string source) => string.Join('\n', source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).Trim();

    [GeneratedRegex(@"Variant\.(?:Draw|Seed)\(\s*""(?<id>\d+\.\d+)""")]
    private static partial Regex DrawPattern();

    [GeneratedRegex(@"Variant\.Draw\(\s*""(?<id>\d+\.\d+)""\s*,\s*(?:from:\s*)?(?<from>-?\d{1,10})\s*,\s*(?:to:\s*)?(?<to>-?\d{1,10})\s*[,)]")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^Kit::Variant\.Use\(""(?<student>[A-Za-z0-9.\-_@+]{1,64})"", ""(?<exercise>\d+\.\d+)"", (?<seed>\d{1,10})\);[ \t\r]*$", RegexOptions.Multiline)]
    private static partial Regex UsePattern();
}
