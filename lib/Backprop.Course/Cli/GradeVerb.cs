using System.CommandLine;
using System.Globalization;
using Backprop.Course.Grading;

namespace Backprop.Course.Cli;

/// <summary><c>grade</c>: grades a class's submissions (<see cref="ClassGrading"/>).</summary>
internal static class GradeVerb
{
    public static Command Create(CliContext cli)
    {
        var submissions = CliOptions.Paths("submissions", "The submitted .ipynb files, or folders of them (every .ipynb under a folder, any case; files and folders hidden by a leading dot are left out and listed).", ArgumentArity.OneOrMore);
        var json = new Option<bool>("--json") { Description = "Print the grades as JSON (progress goes to stderr)." };
        var timeout = CliOptions.Seconds("--timeout", "Time limit of one submission, in seconds.", 300);
        var cellTimeout = CliOptions.Seconds("--cell-timeout", "Time limit of one cell, in seconds (default: 120, at most the submission's limit).", 120);
        var report = new Option<string?>("--output") { Description = "JSON report file, rewritten after each submission (so an interrupted batch keeps what is done).", HelpName = "FILE" };
        var resume = new Option<bool>("--resume") { Description = "With --output: keep the results already in FILE for submissions whose content (SHA-256), lesson checks, kit and grader are unchanged, and grade only the others." };
        var jobs = Jobs();
        var studentId = new Option<string>("--student-id")
        {
            Description = "Where a student's id comes from: file (the file name without .ipynb), folder (the folder the file is in) or regex:PATTERN (group 'id', else group 1, of the path relative to the folder named).",
            HelpName = "file|folder|regex:PATTERN",
            DefaultValueFactory = _ => "file",
        };
        var gradebook = new Option<string?>("--gradebook") { Description = "Gradebook CSV: one row per student, a column per exercise and the total (Canvas and Moodle import it).", HelpName = "FILE" };
        var feedback = new Option<string?>("--feedback") { Description = "Folder for one feedback page (HTML, offline) per submission: points, check messages, the student's outputs.", HelpName = "DIR" };
        var gradescope = new Option<string?>("--gradescope") { Description = "Also write Gradescope's results.json (one test per exercise; hidden checks visible after publishing).", HelpName = "FILE" };
        var allowWeak = new Option<bool>("--allow-weak-confinement")
        {
            Description = "Grade even where bubblewrap does not work (a submission's code then runs with unshare's namespaces or a process group only and can read and change what you can): for a throwaway container or CI runner. Also BACKPROP_ALLOW_WEAK_CONFINEMENT=1.",
        };
        var classroom50 = new Option<string?>("--classroom50") { Description = "Also write Classroom 50's result.json (schema classroom50/result/v1: one test per exercise; who and what from the workflow's environment: CLASSROOM, ASSIGNMENT, SUBMISSION_TAG, SUBMISSION_DATETIME, GITHUB_*).", HelpName = "FILE" };
        var similarity = new Option<string?>("--similarity") { Description = "Also write a similarity report (offline HTML, and FILE's .json beside it): the students' solution code compared pairwise after normalisation, highest first.", HelpName = "FILE" };
        var analysis = new Option<string?>("--analysis") { Description = "Also write an exercise analysis (offline HTML, and FILE's .json beside it): per exercise attempted, passed, failed and the failing messages grouped; points per lesson; the concept check's learning gain.", HelpName = "FILE" };
        var roster = new Option<string?>("--roster") { Description = "With --secret-file: the course roster of the release; each student's variant exercises are graded against the variant drawn for the gradebook id.", HelpName = "FILE" };
        var secret = new Option<string?>("--secret-file") { Description = "With --roster: the course secret the release drew the students' variants from.", HelpName = "FILE" };
        var lessons = new Option<string?>("--lessons") { Description = "The lesson notebooks whose setup and check cells grade the submissions (default: notebooks/ of the kit).", HelpName = "DIR" };
        var grade = new Command("grade", "Grades submissions with a pool of sandboxed kernels, each submission in a throwaway folder with the instructor's setup and check cells put back; prints a table, or JSON with --json; writes the gradebook, feedback and reports asked for; exits 1 when a submission could not be fully graded.")
        {
            submissions, json, timeout, cellTimeout, report, resume, jobs, studentId, gradebook, feedback, gradescope, classroom50, similarity, analysis, lessons, allowWeak, roster, secret,
        };
        grade.Validators.Add(result =>
        {
            if (result.GetValue(resume) && result.GetValue(report) is null)
            {
                result.AddError("--resume needs --output FILE (the report to resume).");
            }

            if ((result.GetValue(roster) is null) != (result.GetValue(secret) is null))
            {
                result.AddError("--roster and --secret-file go together: the students' variants are drawn from both.");
            }
        });
        grade.SetAction((result, _) => ClassGrading.GradeAsync(
            new GradeRequest(cli.CurrentDirectory, [.. result.GetValue(submissions)!],
                result.GetValue(json), result.GetValue(timeout), result.GetValue(cellTimeout), cli.FullOrNull(result.GetValue(report)), result.GetValue(resume),
                result.GetValue(jobs), StudentIdRule.Parse(result.GetValue(studentId)!), cli.FullOrNull(result.GetValue(gradebook)), cli.FullOrNull(result.GetValue(feedback)),
                cli.FullOrNull(result.GetValue(gradescope)), cli.FullOrNull(result.GetValue(lessons)),
                result.GetValue(allowWeak) || Environment.GetEnvironmentVariable("BACKPROP_ALLOW_WEAK_CONFINEMENT") is "1" or "true")
            {
                Classroom50 = cli.FullOrNull(result.GetValue(classroom50)),
                Similarity = cli.FullOrNull(result.GetValue(similarity)),
                Analysis = cli.FullOrNull(result.GetValue(analysis)),
                Variants = GradeRequest.ReadVariants(cli.FullOrNull(result.GetValue(roster)), cli.FullOrNull(result.GetValue(secret))),
            },
            cli.Stdout, cli.Stderr));
        return grade;
    }

    /// <summary>How many submissions are graded at once: 1 to 64 kernels.</summary>
    private static Option<int> Jobs() => new("--jobs")
    {
        Description = "How many submissions are graded at once, each by a sandboxed kernel of its own (default: the number of cores).",
        HelpName = "N",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64)
            {
                return n;
            }

            result.AddError($"--jobs {text}: expected a whole number of kernels from 1 to 64.");
            return 1;
        },
    };
}
