namespace Backprop.Course.Grading;

/// <summary>A graded submission with what feedback needs besides the grade: the outputs of the student's own cells and which exercises have hidden checks.</summary>
internal sealed record GradedSubmission(SubmissionGrade Grade, IReadOnlyList<StudentCell> Cells, IReadOnlyCollection<string> ExercisesWithHiddenChecks)
{
    /// <summary>As every report shows it: the grade and each output and problem of the student's cells through <see cref="ReportText.Clean"/> (control characters escaped, length capped).</summary>
    public GradedSubmission Cleaned() => new(
        Grade.Cleaned(),
        [.. Cells.Select(c => c with { Outputs = [.. c.Outputs.Select(o => ReportText.Clean(o, ReportText.OutputCap))], Problem = c.Problem is null ? null : ReportText.Clean(c.Problem) })],
        ExercisesWithHiddenChecks);
}
