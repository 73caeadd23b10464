using System.Globalization;
using System.Text.Json.Nodes;
using Backprop.Course.Notebooks;
using Backprop.Course.Transforms;

namespace Backprop.Course.Grading;

/// <summary>
/// <c>grade --similarity REPORT.html</c>: the students' exercise cells compared pairwise. Each student's code is the
/// exercise cells of every notebook handed in, fingerprinted by <see cref="CodeFingerprint"/> (names the student declares
/// and literals normalised, layout and comments gone), less every k-gram of the cell as released (the stub, the
/// signature, the kit's given code: what every student starts from is no sign of copying). A pair's score is the
/// Jaccard index of the two fingerprints, |A ∩ B| / |A ∪ B|: symmetric, 1 for the same code, and, unlike containment
/// (|A ∩ B| / min), not 1 for a short answer that is merely part of a long one. Pairs at or above <see cref="Threshold"/>
/// are listed side by side in an offline page (everything HTML-escaped, as the feedback pages); REPORT.json beside it
/// holds every pair as { "a", "b", "score" }, highest first.
/// </summary>
internal static class SimilarityReport
{
    /// <summary>The score at which a pair is shown for review: 0.5 (at least half of the two students' fingerprints together are shared).</summary>
    public const double Threshold = 0.5;

    /// <summary>The most pairs shown side by side: 20.</summary>
    private const int Shown = 20;

    /// <summary>One pair of students and their score, highest first in the report.</summary>
    public sealed record Pair(string A, string B, double Score);

    /// <summary>Writes REPORT.html and REPORT.json; returns how many pairs are at or above the threshold.</summary>
    public static int Write(string htmlPath, IReadOnlyList<Submission> submissions, string lessonsFolder)
    {
        var given = GivenKGrams(lessonsFolder);
        var code = new SortedDictionary<string, List<(string Exercise, string Source)>>(StringComparer.Ordinal);
        foreach (var submission in submissions)
        {
            var cells = ExerciseCells(submission);
            if (cells.Count > 0)
            {
                (code.TryGetValue(submission.StudentId, out var list) ? list : code[submission.StudentId] = []).AddRange(cells);
            }
        }

        var prints = code.ToDictionary(c => c.Key, c => Fingerprint(c.Value, given), StringComparer.Ordinal);
        var pairs = Rank(prints);
        var json = new JsonArray([.. pairs.Select(p => new JsonObject { ["a"] = p.A, ["b"] = p.B, ["score"] = Math.Round(p.Score, 4) })]);
        Files.WriteAtomically(Path.ChangeExtension(htmlPath, ".json"), json.ToJsonString(GradeReport.Options) + "\n");
        Files.WriteAtomically(htmlPath, Html(pairs, code));
        return pairs.Count(p => p.Score >= Threshold);
    }

    /// <summary>Every pair of students, by score (highest first), then by ids.</summary>
    public static IReadOnlyList<Pair> Rank(IReadOnlyDictionary<string, HashSet<ulong>> prints)
    {
        var ids = prints.Keys.Order(StringComparer.Ordinal).ToList();
        var pairs = new List<Pair>();
        for (var i = 0; i < ids.Count; i++)
        {
            for (var j = i + 1; j < ids.Count; j++)
            {
                var (a, b) = (prints[ids[i]], prints[ids[j]]);
                var union = a.Count + b.Count - a.Count(b.Contains);
                pairs.Add(new Pair(ids[i], ids[j], union == 0 ? 0 : (double)a.Count(b.Contains) / union));
            }
        }

        return [.. pairs.OrderByDescending(p => p.Score).ThenBy(p => p.A, StringComparer.Ordinal).ThenBy(p => p.B, StringComparer.Ordinal)];
    }

    /// <summary>A student's fingerprint: the winnowed hashes of each exercise cell, less the k-grams of that cell as released.</summary>
    private static HashSet<ulong> Fingerprint(List<(string Exercise, string Source)> cells, Dictionary<string, HashSet<ulong>> given)
    {
        var print = new HashSet<ulong>();
        foreach (var (exercise, source) in cells)
        {
            var hashes = CodeFingerprint.Winnowed(source, exercise);
            if (given.TryGetValue(exercise, out var released))
            {
                hashes.ExceptWith(released);
            }

            print.UnionWith(hashes);
        }

        return print;
    }

    /// <summary>The exercise cells of a submission (none when it cannot be read: its problem is in the grade).</summary>
    private static List<(string Exercise, string Source)> ExerciseCells(Submission submission) =>
        submission.OpenOrNull() is { } notebook ? [.. notebook.Cells.Where(c => c.Marker is { Kind: MarkerKind.Exercise }).Select(c => (c.Marker!.Id, c.Source))] : [];

    /// <summary>Every k-gram hash of each exercise cell as released (the instructor's cell with its solutions stubbed), by exercise.</summary>
    private static Dictionary<string, HashSet<ulong>> GivenKGrams(string lessonsFolder)
    {
        var given = new Dictionary<string, HashSet<ulong>>(StringComparer.Ordinal);
        foreach (var path in Directory.Exists(lessonsFolder) ? Directory.GetFiles(lessonsFolder, "*.ipynb") : [])
        {
            foreach (var cell in NotebookDocument.Load(path).Cells.Where(c => c.Marker is { Kind: MarkerKind.Exercise }))
            {
                var id = cell.Marker!.Id;
                var released = StubSolutions.HasMarkers(cell.Source) ? StubSolutions.Apply(cell.Source, id, path) : cell.Source;
                (given.TryGetValue(id, out var set) ? set : given[id] = []).UnionWith(CodeFingerprint.KGrams(CodeFingerprint.Tokens(released), id));
            }
        }

        return given;
    }

    /// <summary>The page: the threshold, the ranking, and the pairs at or above it (at most <see cref="Shown"/>) side by side.</summary>
    private static string Html(IReadOnlyList<Pair> pairs, IReadOnlyDictionary<string, List<(string Exercise, string Source)>> code)
    {
        static string E(string text) => ReportPage.Encode(text, ReportText.OutputCap);
        var html = ReportPage.Start("Similarity of the students' solutions", """
            .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
            .high { color: #a11; font-weight: bold; }
            """);
        html.Append(CultureInfo.InvariantCulture, $$"""
            <p>Each student's exercise cells, compared pairwise after normalisation (the names a student declares and the literals
            replaced by their role and kind, layout and comments removed), less the code every student was given (the stubs and
            signatures of the release). Score: the Jaccard index of the winnowed 5-token fingerprints (0 = nothing shared,
            1 = the same code). Pairs at or above <strong>{{Threshold.ToString("0.00", CultureInfo.InvariantCulture)}}</strong> are shown
            side by side. A high score is a reason to look, not a verdict: short exercises with one natural answer score high too.</p>
            <h2>Ranking</h2>
            <table><tr><th>student</th><th>student</th><th>score</th></tr>

            """);
        foreach (var p in pairs)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(ReportText.OneLine(p.A, 200))}</td><td>{E(ReportText.OneLine(p.B, 200))}</td><td{(p.Score >= Threshold ? " class=\"high\"" : "")}>{p.Score:0.00}</td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (var p in pairs.Where(p => p.Score >= Threshold).Take(Shown))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>{E(ReportText.OneLine(p.A, 200))} and {E(ReportText.OneLine(p.B, 200))}: {p.Score:0.00}</h2>\n<div class=\"pair\">\n");
            foreach (var id in new[] { p.A, p.B })
            {
                html.Append(CultureInfo.InvariantCulture, $"<div><h3>{E(ReportText.OneLine(id, 200))}</h3>\n");
                foreach (var (exercise, source) in code[id])
                {
                    html.Append(CultureInfo.InvariantCulture, $"<p>exercise {E(exercise)}</p><pre>{E(source)}</pre>\n");
                }

                html.Append("</div>\n");
            }

            html.Append("</div>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }
}
