using System.Text.Json.Nodes;

namespace Backprop.Course.Grading;

/// <summary>Gradescope's results.json: how a graded submission is reported to Gradescope's autograder (the exported bundle's run_autograder calls grade --gradescope).</summary>
internal static class GradescopeResults
{
    /// <summary>
    /// Writes Gradescope's results.json for the submissions graded: one test per exercise (name, score, max_score, output =
    /// the check's message, visibility <c>after_published</c> when the exercise has hidden checks, else <c>visible</c>), the
    /// total score, and what kept a submission from being graded normally as the top-level output.
    /// </summary>
    public static void Write(string path, IReadOnlyList<GradedSubmission> graded)
    {
        var tests = new JsonArray();
        var notes = new List<string>();
        foreach (var result in graded)
        {
            foreach (var e in result.Grade.Exercises)
            {
                tests.Add(new JsonObject
                {
                    ["name"] = $"Exercise {e.Id}",
                    ["number"] = e.Id,
                    ["score"] = e.Earned,
                    ["max_score"] = e.Points,
                    ["status"] = e.Passed ? "passed" : "failed",
                    ["output"] = e.Message,
                    ["visibility"] = result.ExercisesWithHiddenChecks.Contains(e.Id) ? "after_published" : "visible",
                });
            }

            notes.AddRange(result.Grade.Problems.Select(p => $"{Path.GetFileName(result.Grade.Notebook)}: {p}"));
        }

        var results = new JsonObject
        {
            ["score"] = graded.Sum(g => g.Grade.Earned),
            ["output"] = notes.Count == 0 ? $"Graded {string.Join(", ", graded.Select(g => Path.GetFileName(g.Grade.Notebook)))}." : string.Join("\n", notes),
            ["visibility"] = "visible",
            ["stdout_visibility"] = "hidden",
            ["tests"] = tests,
        };
        Files.WriteAtomically(path, results.ToJsonString(GradeReport.Options) + "\n");
    }
}
