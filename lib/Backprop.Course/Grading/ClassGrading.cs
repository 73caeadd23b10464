using System.Runtime.InteropServices;
using System.Text;
using Backprop.Course.Running;
using Backprop.Course.Sandboxing;

namespace Backprop.Course.Grading;

/// <summary>
/// Grading a whole class, end to end: finds the submissions in the files and folders named (<see cref="SubmissionFinder"/>,
/// each file read once), grades them with a pool of sandboxed kernels (each submission in a throwaway folder of its own;
/// <see cref="GradingBatch"/>), shows progress, stops cleanly on Ctrl-C, and writes the JSON report, the gradebook, the
/// feedback pages and Gradescope's results.
/// </summary>
internal static class ClassGrading
{
    /// <summary>The exit code of <c>grade</c> stopped by Ctrl-C (128 + SIGINT, as a shell reports it).</summary>
    public const int Interrupted = 130;

    /// <summary>Grades the class <paramref name="request"/> names: 0 every submission fully graded, 1 not, <see cref="Interrupted"/> stopped.</summary>
    /// <exception cref="CourseException">Not in a kit, no confinement that is strong enough, or a problem with the paths (<see cref="SubmissionFinder.Find"/>).</exception>
    public static async Task<int> GradeAsync(GradeRequest request, TextWriter stdout, TextWriter stderr)
    {
        var progress = request.Json ? stderr : stdout;
        var root = Kit.RepositoryRoot(request.CurrentDirectory);
        // Submissions are hostile code: without bubblewrap they could read the hidden checks and change the lecturer's files.
        if (Confinement.Refusal(Confinement.Best, request.AllowWeakConfinement) is { } refusal)
        {
            throw new CourseException(refusal);
        }

        // Who is graded, for Classroom 50, is read before anything runs: a missing variable is said at once.
        var classroom50 = request.Classroom50 is null ? null : Classroom50Result.FromEnvironment(request.Environment);
        // So is a malformed concept-check bank or key, for --analysis.
        _ = request.Analysis is null ? null : ConceptBank.Load(root, request.Lessons ?? Path.Combine(root, "notebooks"));
        var items = Find(request, stderr);
        var warnings = StudentIdWarnings(items, stderr);
        var previous = request.Resume && request.Report is not null ? GradeReport.Read(request.Report) : [];
        // The kit is built (once, under its lock) and read before the first kernel starts; the pool never builds.
        var runner = RunnerSetup.Create([Path.Combine(root, "notebooks")], progress, Math.Min(request.CellTimeout, request.Timeout), request.Timeout, quiet: request.Jobs > 1 && items.Count > 1);
        var grader = new Grader(root, runner, request.Lessons) { Variants = request.Variants };
        var key = new GradingKey(request.Lessons ?? Path.Combine(root, "notebooks"), grader.KitImage, request.Variants?.Fingerprint);
        progress.WriteLine($"Kernels run confined by {Confinement.Describe(grader.Confinement ?? Confinement.Best)}.");
        var jobs = Math.Min(request.Jobs, items.Count);
        using var stop = new CancellationTokenSource();
        var onSignal = StopHandler(stop, stderr);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
        var batch = new GradingBatch(items, grader, key, previous, warnings, progress, stderr);
        void SaveReport()
        {
            if (request.Report is not null)
            {
                Files.WriteAtomically(request.Report, GradeReport.Json(batch.ReportEntries));
            }
        }

        // The report is written after each submission (to a temporary file, then moved): killing the grader loses at most the ones it was on.
        // Announced as the first submission starts: a Ctrl-C after this line always finds one in progress, which finishes.
        await PoolAsync(items.Count, jobs, batch.GradeOneAsync, (i, result) =>
        {
            batch.Done(i, result);
            SaveReport();
        }, stop.Token, started: () => stderr.WriteLine($"Grading {items.Count} submission(s), {jobs} at a time."));

        var graded = batch.Graded;
        SaveReport();
        WriteReports(request, graded, grader, progress, stdout, classroom50);
        if (stop.IsCancellationRequested && graded.Count < items.Count)
        {
            stderr.WriteLine($"Stopped: {items.Count - graded.Count} of {items.Count} submission(s) not graded; every report written holds the {graded.Count} graded."
                + (request.Report is not null ? " To grade only the rest: the same command with --resume." : " Next time add --output FILE, then --resume grades only the rest."));
            return Interrupted;
        }

        return graded.All(g => g.Graded.Grade.Problems.Count == 0 && g.Graded.Grade.Possible > 0) ? 0 : 1;
    }

    /// <summary>
    /// Ctrl-C (or a SIGTERM from a CI runner) stops taking submissions; those in progress finish and every report is
    /// written for what is done. A second Ctrl-C stops at once, as usual.
    /// </summary>
    private static Action<PosixSignalContext> StopHandler(CancellationTokenSource stop, TextWriter stderr) => context =>
    {
        if (!stop.IsCancellationRequested)
        {
            context.Cancel = true;
            stop.Cancel();
            stderr.WriteLine("Stopping: the submission(s) in progress finish, then every report is written for what is done (Ctrl-C again stops at once).");
        }
    };

    private static IReadOnlyList<Submission> Find(GradeRequest request, TextWriter stderr)
    {
        var found = SubmissionFinder.Find(request.Paths.Select(p => Path.GetFullPath(p, request.CurrentDirectory)), request.StudentId);
        if (found.HiddenLine is { } hidden)
        {
            stderr.WriteLine(hidden);
        }

        if (!UnicodeForms.Available && found.Submissions.Any(i => !Ascii.IsValid(i.StudentId)))
        {
            stderr.WriteLine("warning: no ICU library was found, so student ids are compared as they are written (\"café\" typed two ways is two students); install libicu to have them normalised.");
        }

        return found.Submissions;
    }

    /// <summary>Ids that differ only by case, width or Unicode form: most likely one student named two ways. Said, and kept with each grade.</summary>
    private static Dictionary<string, List<string>> StudentIdWarnings(IReadOnlyList<Submission> items, TextWriter stderr)
    {
        var warnings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var group in SubmissionFinder.NearDuplicates(items.Select(i => i.StudentId)))
        {
            var warning = SubmissionFinder.NearDuplicateWarning(group);
            stderr.WriteLine($"warning: {warning}");
            foreach (var id in group)
            {
                (warnings.TryGetValue(id, out var list) ? list : warnings[id] = []).Add(warning);
            }
        }

        return warnings;
    }

    /// <summary>The gradebook, the feedback pages and Gradescope's results asked for, then the grades (JSON or a table) on stdout.</summary>
    private static void WriteReports(GradeRequest request, IReadOnlyList<(Submission Submission, GradedSubmission Graded, bool Kept)> graded, Grader grader, TextWriter progress, TextWriter stdout,
        Classroom50Result.Identity? classroom50)
    {
        if (request.Gradebook is not null)
        {
            WriteGradebook(request.Gradebook, [.. graded.Select(g => (g.Submission, g.Graded.Grade))]);
            progress.WriteLine($"Gradebook written to {request.Gradebook}");
        }

        if (request.Feedback is not null)
        {
            // Kept results too: the report keeps what a feedback page shows (the outputs of the student's cells).
            var pages = WriteFeedback(request.Feedback, [.. graded.Select(g => (g.Submission, g.Graded))], grader.HiddenCheckLines());
            var kept = graded.Count(g => g.Kept);
            progress.WriteLine($"{pages.Count} feedback page(s) written to {request.Feedback}{(kept > 0 ? $" ({kept} of them for results kept by --resume)" : "")}");
        }

        if (request.Gradescope is not null)
        {
            GradescopeResults.Write(request.Gradescope, [.. graded.Select(g => g.Graded)]);
        }

        if (request.Classroom50 is not null && classroom50 is not null)
        {
            Classroom50Result.Write(request.Classroom50, classroom50, [.. graded.Select(g => g.Graded)], DateTimeOffset.UtcNow);
            progress.WriteLine($"Classroom 50 result written to {request.Classroom50}");
        }

        if (request.Similarity is not null)
        {
            var pairs = SimilarityReport.Write(request.Similarity, [.. graded.Select(g => g.Submission)], request.Lessons ?? Path.Combine(Kit.RepositoryRoot(request.CurrentDirectory), "notebooks"));
            progress.WriteLine($"Similarity report written to {request.Similarity} ({pairs} pair(s) at or above the threshold)");
        }

        if (request.Analysis is not null)
        {
            var root = Kit.RepositoryRoot(request.CurrentDirectory);
            var (exercises, concepts) = AnalysisReport.Write(request.Analysis, [.. graded.Select(g => (g.Submission, g.Graded.Grade))], root, request.Lessons ?? Path.Combine(root, "notebooks"));
            progress.WriteLine($"Exercise analysis written to {request.Analysis} ({exercises.Exercises.Count} exercise(s), {concepts.Sheets.Count} concept-check sheet(s))");
        }

        var grades = graded.Select(g => g.Graded.Grade).ToList();
        if (request.Json)
        {
            stdout.WriteLine(GradeReport.Grades(grades));
        }
        else
        {
            GradeReport.WriteTable(grades, stdout);
        }
    }

    /// <summary>
    /// Grades <paramref name="count"/> items with <paramref name="jobs"/> at a time; <paramref name="done"/> is called (one call at a
    /// time) as each finishes. The results keep the items' order whatever order they finish in. The BCL's Parallel.ForEachAsync
    /// hands out the items, lowest index first; <paramref name="stop"/> leaves the items not yet started ungraded.
    /// </summary>
    /// <remarks>Once <paramref name="stop"/> is cancelled no item is started; those in progress finish (their entries of the result stay default).
    /// <paramref name="started"/> is called once, as the first item starts.</remarks>
    private static async Task<T[]> PoolAsync<T>(int count, int jobs, Func<int, Task<T>> grade, Action<int, T> done, CancellationToken stop = default, Action? started = null)
    {
        var results = new T[count];
        var gate = new Lock();
        var first = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) }, async (i, _) =>
        {
            if (stop.IsCancellationRequested)
            {
                return;   // stopping: the items in progress finish, the rest are not started (their results stay default)
            }

            if (Interlocked.Exchange(ref first, 1) == 0)
            {
                started?.Invoke();
            }

            var result = await grade(i);
            results[i] = result;
            lock (gate)
            {
                done(i, result);
            }
        });
        return results;
    }

    /// <summary>Writes the gradebook (<see cref="Gradebook.Text"/>) to <paramref name="path"/>.</summary>
    public static void WriteGradebook(string path, IReadOnlyList<(Submission Submission, SubmissionGrade Grade)> graded) => Files.WriteAtomically(path, Gradebook.Text(graded));

    /// <summary>A file name made of the student id and the lesson: letters, digits, '.', '-' and '_' only (anything else, path separators and "..", becomes '_').</summary>
    internal static string SafeFileName(string studentId, string? lesson)
    {
        var name = new StringBuilder();
        foreach (var c in studentId)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        var stem = name.Length > 80 ? name.ToString(0, 80) : name.ToString();
        return $"{stem}-lesson-{(lesson is { } l && l.All(char.IsAsciiDigit) ? l : "unknown")}.html";
    }

    /// <summary>Writes one feedback page per submission into <paramref name="folder"/>; returns the files written, in the submissions' order.</summary>
    public static IReadOnlyList<string> WriteFeedback(string folder, IReadOnlyList<(Submission Submission, GradedSubmission Graded)> graded, IReadOnlySet<string> hiddenLines)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (submission, result) in graded)
        {
            var name = SafeFileName(submission.StudentId, result.Grade.Lesson);
            for (var n = 2; !used.Add(name); n++)
            {
                name = System.IO.Path.GetFileNameWithoutExtension(SafeFileName(submission.StudentId, result.Grade.Lesson)) + $"-{n}.html";
            }

            var path = System.IO.Path.Combine(folder, name);
            Files.WriteAtomically(path, Feedback.Html(submission, result, hiddenLines));
            written.Add(path);
        }

        return written;
    }
}
