using System.Globalization;
using System.Net;
using System.Text;

namespace Backprop.Course.Grading;

/// <summary>
/// The feedback page of one graded submission: a self-contained HTML file (no script, no link, readable offline) with
/// each exercise's points and its check's message, what kept the submission from being graded normally, and the
/// outputs of the student's own cells. It never holds a check cell's source: check cells are not the student's, and
/// any line of a hidden check that turns up in a message or an output is replaced before the page is written.
/// Everything from the submission is HTML-escaped.
/// </summary>
internal static class Feedback
{
    public const string Redacted = "[a line of a hidden check: not shown]";

    public static string Html(Submission submission, GradedSubmission result, IReadOnlySet<string> hiddenLines)
    {
        var grade = result.Grade;
        // The grade's messages and outputs come cleaned (ReportText); the id and the file name come from the file system.
        string E(string text) => WebUtility.HtmlEncode(Redact(text, hiddenLines));
        var student = ReportText.OneLine(submission.StudentId, 200);
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>Feedback: {{E(student)}}, lesson {{E(grade.Lesson ?? "?")}}</title>
            <style>
            body { font: 15px/1.45 system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #ddd; padding: .35em .5em; text-align: left; vertical-align: top; }
            .passed { color: #176b2c; } .failed { color: #a11; } pre { background: #f5f5f5; padding: .5em; overflow-x: auto; white-space: pre-wrap; }
            </style></head><body>
            <h1>Lesson {{E(grade.Lesson ?? "?")}}: {{grade.Earned.ToString(CultureInfo.InvariantCulture)}} of {{grade.Possible.ToString(CultureInfo.InvariantCulture)}} points</h1>
            <p>Student: <strong>{{E(student)}}</strong> · file: <code>{{E(ReportText.OneLine(Path.GetFileName(submission.Path), 200))}}</code></p>

            """);
        if (grade.Exercises.Count > 0)
        {
            html.Append("<h2>Exercises</h2>\n<table><tr><th>exercise</th><th>points</th><th>what the check said</th></tr>\n");
            foreach (var e in grade.Exercises)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{E(e.Id)}{(result.ExercisesWithHiddenChecks.Contains(e.Id) ? " *" : "")}</td><td class=\"{(e.Passed ? "passed" : "failed")}\">{e.Earned}/{e.Points} {(e.Passed ? "passed" : "not passed")}</td><td><pre>{E(e.Message)}</pre></td></tr>\n");
            }

            html.Append("</table>\n");
            if (result.ExercisesWithHiddenChecks.Count > 0)
            {
                html.Append("<p>* This exercise has hidden checks: your code was also tried on inputs you did not see; a message may name such a check, never its code.</p>\n");
            }
        }

        if (grade.Problems.Count > 0)
        {
            html.Append("<h2>Problems</h2>\n<ul>\n");
            foreach (var problem in grade.Problems)
            {
                html.Append($"<li>{E(problem)}</li>\n");
            }

            html.Append("</ul>\n");
        }

        AppendCells(html, result.Cells, E);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>The outputs and problems of the student's cells (those with neither are left out), each through <paramref name="encode"/>.</summary>
    private static void AppendCells(StringBuilder html, IReadOnlyList<StudentCell> studentCells, Func<string, string> encode)
    {
        var cells = studentCells.Where(c => c.Outputs.Count > 0 || c.Problem is not null).ToList();
        if (cells.Count > 0)
        {
            html.Append("<h2>Your cells' outputs when graded</h2>\n");
            foreach (var cell in cells)
            {
                html.Append(CultureInfo.InvariantCulture, $"<h3>Cell {cell.Number}{(cell.Exercise is { } id ? $" (exercise {encode(id)})" : "")}</h3>\n");
                if (cell.Problem is { } problem)
                {
                    html.Append($"<p class=\"failed\">{encode(problem)}</p>\n");
                }

                foreach (var output in cell.Outputs)
                {
                    html.Append($"<pre>{encode(output.TrimEnd())}</pre>\n");
                }
            }
    }
    }

    /// <summary>The text with every line that holds a line of a hidden check replaced.</summary>
    internal static string Redact(string text, IReadOnlySet<string> hiddenLines)
    {
        if (hiddenLines.Count == 0)
        {
            return text;
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (hiddenLines.Any(h => h.Length >= 12 && line.Contains(h, StringComparison.Ordinal)))
            {
                lines[i] = Redacted;
            }
        }

        return string.Join('\n', lines);
    }
}
