using System.Globalization;

namespace Backprop.Course.Grading;

/// <summary>What <see cref="SubmissionFinder.Find"/> found: the submissions, and the .ipynb files it left out because a leading dot hides them (themselves or a folder they are in).</summary>
internal sealed record FoundSubmissions(IReadOnlyList<Submission> Submissions, IReadOnlyList<string> Hidden)
{
    /// <summary>The one line that says what was left out and how to grade it anyway (null when nothing was).</summary>
    public string? HiddenLine => Hidden.Count == 0 ? null : string.Create(CultureInfo.InvariantCulture,
        $"skipped {Hidden.Count} .ipynb file(s) hidden by a leading dot (a hidden folder such as .ipynb_checkpoints, or the file's own name): {string.Join(", ", Hidden.Take(5).Select(h => ReportText.OneLine(h, 200)))}{(Hidden.Count > 5 ? $", and {Hidden.Count - 5} more" : "")} — name a file on the command line to grade it.");
}
