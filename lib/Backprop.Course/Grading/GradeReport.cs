using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backprop.Course.Grading;

/// <summary>
/// What <c>grade</c> prints and saves: the JSON report (each grade, and what its feedback page shows besides, so a result
/// kept by --resume gets its page too), the grades as JSON (--json) and the table.
/// </summary>
internal static class GradeReport
{
    /// <summary>How grade writes JSON (indented, non-ASCII as it is): its report and Gradescope's results.</summary>
    internal static JsonSerializerOptions Options { get; } = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON report: each grade with <c>cells</c> (the outputs of the student's cells) and <c>exercises_with_hidden_checks</c>.</summary>
    public static string Json(IReadOnlyList<GradedSubmission> graded)
    {
        var report = new JsonArray();
        foreach (var result in graded)
        {
            var entry = JsonSerializer.SerializeToNode(result.Grade, Options)!.AsObject();
            entry["cells"] = JsonSerializer.SerializeToNode(result.Cells, Options);
            entry["exercises_with_hidden_checks"] = JsonSerializer.SerializeToNode(result.ExercisesWithHiddenChecks.Order(StringComparer.Ordinal).ToList(), Options);
            report.Add(entry);
        }

        return report.ToJsonString(Options);
    }

    /// <summary>The results of an earlier report (none when it is missing or unreadable: then everything is graded again).</summary>
    public static List<GradedSubmission> Read(string path)
    {
        try
        {
            if (!File.Exists(path) || JsonNode.Parse(File.ReadAllText(path)) is not JsonArray entries)
            {
                return [];
            }

            return
            [
                .. entries.OfType<JsonObject>().Select(e => new GradedSubmission(
                    e.Deserialize<SubmissionGrade>()!,
                    e["cells"]?.Deserialize<List<StudentCell>>() ?? [],
                    e["exercises_with_hidden_checks"]?.Deserialize<List<string>>() ?? [])),
            ];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentNullException)
        {
            return [];
        }
    }

    /// <summary>The grades alone, as <c>grade --json</c> prints them.</summary>
    public static string Grades(IReadOnlyList<SubmissionGrade> grades) => JsonSerializer.Serialize(grades, Options);

    /// <summary>The table <c>grade</c> prints: per submission its points, each exercise and each problem.</summary>
    public static void WriteTable(IEnumerable<SubmissionGrade> grades, TextWriter stdout)
    {
        foreach (var grade in grades)
        {
            stdout.WriteLine();
            stdout.WriteLine($"{grade.Notebook} — lesson {grade.Lesson ?? "?"}: {grade.Earned}/{grade.Possible} points");
            foreach (var e in grade.Exercises)
            {
                stdout.WriteLine($"  {e.Id,-6} {e.Earned,2}/{e.Points,-2} {(e.Passed ? "passed" : "FAILED")}  {e.Message.Split('\n')[0]}");
            }

            foreach (var problem in grade.Problems)
            {
                stdout.WriteLine($"  ! {problem}");
            }
        }
    }
}
