using System.Text;
using Backprop.Course.Running;

namespace Backprop.Course.Grading;

/// <summary>The student-side check (<c>validate</c>): the grader's runner, sandbox and cell check, the public checks only.</summary>
internal static class Validation
{
    /// <summary>Where a student release keeps untouched copies of its notebooks, whose check cells validate runs (not the student's copy's).</summary>
    public const string ChecksFolder = ".course/checks";

    /// <summary>Validates <paramref name="notebook"/>: 0 when every public check passed, 1 when not.</summary>
    public static async Task<int> ValidateAsync(string notebook, int timeout, string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(notebook))
        {
            throw new CourseException($"{notebook}: no such file.");
        }

        string root;
        try
        {
            root = Kit.RepositoryRoot(notebook);
        }
        catch (CourseException)
        {
            root = Kit.RepositoryRoot(currentDirectory);
        }

        // A release keeps untouched copies of its notebooks: their check cells are the ones that count, not the student's copy's.
        var pristine = Path.Combine(root, ChecksFolder);
        var runner = RunnerSetup.Create([Path.Combine(root, "notebooks")], stderr, Math.Min(120, timeout), timeout, quiet: false);
        var grader = new Grader(root, runner, Directory.Exists(pristine) ? pristine : null) { PublicChecksOnly = true };
        var grade = (await grader.GradeAsync(notebook)).Cleaned();
        stdout.WriteLine();
        stdout.WriteLine(Report(grade));
        return Passed(grade) ? 0 : 1;
    }

    /// <summary>
    /// What validate prints: a headline (every public check passed, or how many exercises do not pass yet), then every
    /// exercise with its points and verdict — a passed one too, so a student sees where each point stands — each problem,
    /// and the total of the public checks.
    /// </summary>
    internal static string Report(SubmissionGrade grade)
    {
        var name = Path.GetFileName(grade.Notebook);
        var failed = grade.Exercises.Count(e => !e.Passed);
        var recorded = grade.Exercises.Where(Recorded).ToList();
        var text = new StringBuilder(Passed(grade) ? $"{name}: all public checks passed; hidden checks run when your lecturer grades."
            : grade.Exercises.Count == 0 ? $"{name}: not validated." : $"{name}: {failed} of {grade.Exercises.Count} exercise(s) do not pass their public checks yet.");
        var width = grade.Exercises.Select(e => $"{e.Points}/{e.Points}".Length).DefaultIfEmpty(0).Max();
        foreach (var e in grade.Exercises)
        {
            var points = (Recorded(e) ? $"?/{e.Points}" : $"{e.Earned}/{e.Points}").PadLeft(width);
            text.Append($"\n  {points}  {e.Id}: {(e.Passed && !Recorded(e) ? "✔ passed" : e.Message.Split('\n')[0])}");
        }

        foreach (var problem in grade.Problems)
        {
            text.Append($"\n  ! {problem}");
        }

        if (grade.Exercises.Count > 0)
        {
            var pending = recorded.Sum(e => e.Points);
            text.Append($"\n  public checks: {grade.Earned - pending} of {grade.Possible} points" + (pending > 0 ? $", {pending} more recorded for your lecturer to check" : "")
                + " (the hidden checks can still take points away when your lecturer grades)");
        }

        return text.ToString();
    }

    /// <summary>An exercise whose public check recorded the answer instead of judging it (<c>Check.Recorded</c>).</summary>
    private static bool Recorded(ExerciseGrade exercise) => exercise.Passed && exercise.Message.StartsWith(WireContract.AnswerRecorded, StringComparison.Ordinal);

    private static bool Passed(SubmissionGrade grade) => grade.Problems.Count == 0 && grade.Possible > 0 && grade.Exercises.All(e => e.Passed);
}
