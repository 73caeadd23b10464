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

    /// <summary>What validate prints: the one line when every public check passed, else each failed check and each problem.</summary>
    internal static string Report(SubmissionGrade grade)
    {
        if (Passed(grade))
        {
            return $"{Path.GetFileName(grade.Notebook)}: all public checks passed; hidden checks run when your lecturer grades.";
        }

        var text = new StringBuilder($"{Path.GetFileName(grade.Notebook)}: ");
        var failed = grade.Exercises.Where(e => !e.Passed).ToList();
        text.Append(grade.Exercises.Count == 0 ? "not validated." : $"{failed.Count} of {grade.Exercises.Count} exercise(s) do not pass their public checks yet.");
        foreach (var e in failed)
        {
            text.Append($"\n  {e.Id}: {e.Message.Split('\n')[0]}");
        }

        foreach (var problem in grade.Problems)
        {
            text.Append($"\n  ! {problem}");
        }

        return text.ToString();
    }

    private static bool Passed(SubmissionGrade grade) => grade.Problems.Count == 0 && grade.Possible > 0 && grade.Exercises.All(e => e.Passed);
}
