using Backprop.Course.Transforms;
using Backprop.Course.Notebooks;
using Backprop.Course.Running;
using Backprop.Course.Sandboxing;
using Backprop.Course.Policy;

namespace Backprop.Course.Grading;

/// <summary>
/// Grades submissions, one pipeline per submission: read it and find its lesson from its lesson id; build the notebook to
/// run (<see cref="GradingPlan.Build"/>: the instructor's setup cells first, the student's cells each checked by
/// <see cref="CellPolicy"/> before it may run, the instructor's check cells after their exercises, attested); run it in a
/// fresh <see cref="Sandbox"/> (a throwaway folder with a hash-verified copy of the kit and a confined kernel); report the
/// cells that failed; grade each exercise — a check counts only when the kit's own check code attests it with a secret the
/// student's cells never see (<see cref="AttestChecks"/>). The student's file is only read; any fault becomes a problem of
/// that submission. The transforms live in Grading/Transforms, shared with release and validate.
/// </summary>
/// <remarks>Thread-safe: a pool grades several submissions with one grader at once, each in a sandbox of its own.</remarks>
internal sealed class Grader(string repositoryRoot, NotebookRunner runner, string? lessonsFolder = null)
{
    private readonly Dictionary<string, (string Path, NotebookDocument Notebook)> _lessons = LoadLessons(lessonsFolder ?? Path.Combine(repositoryRoot, "notebooks"));
    private readonly Lazy<HashSet<string>> _kitTypeNames = new(() => KitNameFlags.KitTypeNames(repositoryRoot));
    private readonly Lazy<KitImage> _kit = new(() => KitImage.Read(Kit.OutputDirectory(repositoryRoot)));
    private CellPolicy? _policy;

    /// <summary>
    /// The most code cells a submission may have (the longest lesson has 31): more is refused before any cell is compiled,
    /// which bounds the cell check's memory (<see cref="CellPolicy"/> chains the cells) whatever a file holds.
    /// </summary>
    internal const int MaxCodeCells = 200;

    /// <summary>The confinement of the kernels (default: the strongest this machine allows).</summary>
    public ConfinementKind? Confinement { get; init; }

    /// <summary>The managed-heap limit of a kernel.</summary>
    public long MemoryLimitBytes { get; init; } = Sandbox.DefaultMemoryLimitBytes;

    /// <summary>The kit every submission gets a verified copy of (read from artifacts/kit on first use).</summary>
    public KitImage KitImage => _kit.Value;

    /// <summary>The course roster and secret the students' variants are drawn from (<c>grade --roster --secret-file</c>), or null.</summary>
    public VariantKey? Variants { get; init; }

    /// <summary>Runs the public checks only (the hidden regions of the check cells are left out): what <c>validate</c> does.</summary>
    public bool PublicChecksOnly { get; init; }

    private CellPolicy Policy => LazyInitializer.EnsureInitialized(ref _policy, () => new CellPolicy(_kit.Value));

    /// <summary>Reads the file at <paramref name="submissionPath"/> once and grades it; never throws for anything the submission holds (a fault becomes one of its problems).</summary>
    public Task<SubmissionGrade> GradeAsync(string submissionPath) => GradeAsync(SubmittedFile.Read(submissionPath));

    /// <summary>Grades one submission, already read; never throws for anything the submission holds (a fault becomes one of its problems).</summary>
    public async Task<SubmissionGrade> GradeAsync(SubmittedFile submission) => (await GradeWithOutputsAsync(submission)).Grade;

    /// <summary>Grades one submission, already read, and keeps the outputs of the student's own cells (for feedback); never throws for anything the submission holds.</summary>
    /// <param name="submission">The submission, read once.</param>
    /// <param name="student">The student's gradebook id: the variant the grader writes for the submission (<see cref="Variants"/>).</param>
    public async Task<GradedSubmission> GradeWithOutputsAsync(SubmittedFile submission, string? student = null) => (await GradeSafelyAsync(submission, [PublicChecksOnly], student))[0];

    /// <summary>
    /// Grades one submission the way <c>validate</c> does and the way <c>grade</c> does, in one sandboxed kernel: the plan
    /// either command runs, with each exercise's check cell placed twice, first with the public checks only, then whole.
    /// The first grade is what validate reports, the second what grade reports (<see cref="PublicChecksOnly"/> is not used).
    /// </summary>
    public async Task<(SubmissionGrade Validate, SubmissionGrade Grade)> GradeBothWaysAsync(string submissionPath)
    {
        var both = await GradeSafelyAsync(SubmittedFile.Read(submissionPath), [true, false]);
        return (both[0].Grade, both[1].Grade);
    }

    /// <summary>One graded submission per entry of <paramref name="publicOnly"/> (whether its check cells run the public checks only), all from one run.</summary>
    private async Task<GradedSubmission[]> GradeSafelyAsync(SubmittedFile file, bool[] publicOnly, string? student = null)
    {
        try
        {
            return await GradeCoreAsync(file, publicOnly, student);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Each(publicOnly, new GradedSubmission(new SubmissionGrade(file.Path, null, [], 0, 0, [$"the grader could not grade this submission ({e.GetType().Name}: {e.Message})"]), [], []));
        }
    }

    private static GradedSubmission[] Each(bool[] publicOnly, GradedSubmission graded) => [.. publicOnly.Select(_ => graded)];

    /// <summary>The lines of every hidden-check region of the course's check cells (trimmed, non-empty): what feedback must never show.</summary>
    public IReadOnlySet<string> HiddenCheckLines() => _lessons.Values
        .SelectMany(l => l.Notebook.Cells.Where(c => c.Marker?.Kind == MarkerKind.Check))
        .SelectMany(c => RemoveHiddenChecks.HiddenLines(c.Source)).ToHashSet(StringComparer.Ordinal);

    // Length: one submission's way from its bytes to its grades, step by step; each step is a call.
    private async Task<GradedSubmission[]> GradeCoreAsync(SubmittedFile file, bool[] publicOnly, string? student)
    {
        var display = file.Path;
        NotebookDocument submission;
        try
        {
            submission = file.Open();
        }
        catch (CourseException e)
        {
            return Each(publicOnly, new GradedSubmission(new SubmissionGrade(display, null, [], 0, 0, [e.Message]), [], []));
        }

        var lesson = LessonOf(submission);
        if (lesson is null || !_lessons.TryGetValue(lesson, out var instructor))
        {
            var known = string.Join(", ", _lessons.Keys.Order(StringComparer.Ordinal));
            return Each(publicOnly, new GradedSubmission(new SubmissionGrade(display, lesson, [], 0, 0,
                [$"cannot tell which lesson this is: {(lesson is null ? "no lesson id in its metadata and no exercise markers" : $"lesson id '{lesson}' is not one of the course's ({known})")}."]), [], []));
        }

        var exercises = instructor.Notebook.Cells.Select(c => c.Marker).OfType<Marker>().Where(m => m.Kind == MarkerKind.Exercise).ToList();
        var problems = new List<string>();
        problems.AddRange(KitNameFlags.Of(submission, _kitTypeNames.Value));
        if (_kit.Value.ChangedOnDisk() is { Count: > 0 } changed)
        {
            problems.Add($"the kit in {_kit.Value.Folder} changed since the grader started ({string.Join(", ", changed)}); this submission ran with the verified copy taken at the start.");
        }

        var codeCells = submission.Cells.Count(c => c.IsCode && c.Marker?.Kind is not (MarkerKind.Setup or MarkerKind.Check));
        if (codeCells > MaxCodeCells)
        {
            return Each(publicOnly, new GradedSubmission(new SubmissionGrade(display, lesson, [], 0, exercises.Sum(e => e.Points),
                [$"the notebook has {codeCells} code cells; the grader takes at most {MaxCodeCells} (lesson {lesson} has {instructor.Notebook.Cells.Count(c => c.IsCode)}), so none was run."]), [], []));
        }

        // A variant is written from the gradebook id, never taken from the submission; a wrong one zeroes its exercises.
        var variantExercises = VariantCell.Exercises(instructor.Notebook);
        var (variantCell, variantProblem) = VariantKey.Decide(Variants, submission, student, variantExercises, trustSubmission: PublicChecksOnly);
        if (variantProblem is not null)
        {
            problems.Add(variantProblem);
        }

        var drawn = VariantsDrawn(student, instructor.Notebook);

        var plan = GradingPlan.Build(submission, instructor.Notebook, Policy.Start(), publicOnly, variantCell);
        NotebookRun run;
        using (var sandbox = Sandbox.Create(_kit.Value, Confinement, MemoryLimitBytes))
        {
            run = await runner.RunAsync(plan.Notebook, sandbox);
        }

        problems.AddRange(CellProblems(plan, run));
        var hidden = RemoveHiddenChecks.ExercisesWithHiddenChecks(instructor.Notebook);
        var outputs = StudentOutputs(submission, run, plan);
        return [.. publicOnly.Select((_, mode) => new GradedSubmission(Grades(mode), outputs, hidden))];

        SubmissionGrade Grades(int mode)
        {
            var grades = exercises.Select(e => GradeExercise(e, plan, run, mode, hidesThrownMessage: !publicOnly[mode] && hidden.Contains(e.Id)))
                .Select(g => variantProblem is not null && variantExercises.Contains(g.Id) ? g with { Earned = 0, Passed = false, Message = $"earns nothing: {variantProblem}" } : g)
                .Select(g => drawn.TryGetValue(g.Id, out var variant) ? g with { Variant = variant } : g).ToList();
            return new SubmissionGrade(display, lesson, grades, grades.Sum(g => g.Earned), grades.Sum(g => g.Points), problems);
        }
    }

    /// <summary>
    /// The parameters of <paramref name="student"/>'s variant of each exercise of <paramref name="lesson"/> that draws one, worked
    /// out from the student's seed (<see cref="VariantKey.Drawn"/>), never read from the run; none without a roster or for a
    /// student not on it (no variant was written for them).
    /// </summary>
    private Dictionary<string, IReadOnlyList<ExerciseGrade.Drawn>> VariantsDrawn(string? student, NotebookDocument lesson) =>
        Variants is { } key && student is not null && key.Roster.Contains(student)
            ? key.Drawn(student, VariantCell.Draws(lesson)).GroupBy(d => d.Exercise, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<ExerciseGrade.Drawn>)[.. g.Select(d => new ExerciseGrade.Drawn(d.From, d.To, d.Value))], StringComparer.Ordinal)
            : [];

    /// <summary>One sentence per student cell that was refused or failed (check cells are graded, not reported here).</summary>
    private static IEnumerable<string> CellProblems(GradingPlan plan, NotebookRun run)
    {
        foreach (var (cell, reason) in plan.Refused)
        {
            yield return $"cell {CellName(plan, cell)} was not run: {reason}.";
        }

        foreach (var failed in run.Cells.Where(c => c.Status != CellStatus.Succeeded && c.Marker?.Kind != MarkerKind.Check))
        {
            var number = CellName(plan, failed.CellNumber);
            yield return failed.Status == CellStatus.NotRun ? $"cell {number}: {failed.Error}"
                : plan.AfterFirstCheck(failed.CellNumber) ? $"cell {number} failed ({failed.Status}); its message is not shown because the cell ran after a check cell (run the notebook yourself to see it)"
                : $"cell {number} failed: {failed.ShortError}";
        }
    }

    /// <summary>A student cell as the student finds it: its number and, for an exercise cell, the exercise ("cell 10 (exercise 00.1)").</summary>
    private static string CellName(GradingPlan plan, int gradedCell) =>
        plan.ExerciseOf(gradedCell) is { } id ? $"{plan.StudentCellNumber(gradedCell)} (exercise {id})" : $"{plan.StudentCellNumber(gradedCell)}";

    /// <summary>
    /// One exercise's grade from the run: its points only when its check cell succeeded and the verified kit attested it
    /// (<see cref="AttestChecks"/>). <paramref name="hidesThrownMessage"/>: the check held hidden checks, so a message the
    /// student's code threw is not shown (<see cref="LimitOutput"/>).
    /// </summary>
    private ExerciseGrade GradeExercise(Marker exercise, GradingPlan plan, NotebookRun run, int mode, bool hidesThrownMessage)
    {
        var check = plan.CheckCells[mode].TryGetValue(exercise.Id, out var number) ? run.Cells.FirstOrDefault(c => c.CellNumber == number) : null;
        var executed = check is null ? null : run.Executed.Cells[check.CellNumber - 1];
        var attested = executed is not null && AttestChecks.Verify(executed, plan.Nonces[mode][exercise.Id], exercise.Id, _kit.Value.CourseworkMvid);
        var refused = plan.Refused.Where(r => plan.ExerciseOf(r.Key) == exercise.Id).Select(r => r.Value).FirstOrDefault();
        var (passed, message) = check switch
        {
            _ when refused is not null => (false, $"your exercise cell was not run: {refused}"),
            null when !plan.Exercises.Values.Contains(exercise.Id) => (false, $"your notebook has no exercise cell {exercise.Id} (a code cell starting `// EXERCISE {exercise.Id}`): it was deleted or its first line changed, so its check was not run"),
            null => (false, "no check cell for this exercise"),
            { Status: CellStatus.Succeeded } when attested => (true, AttestChecks.Confirmation(executed!)),
            { Status: CellStatus.Succeeded } => (false, "the check cell ran but the kit's check did not confirm the result (its attestation is missing or is not from the verified kit)"),
            _ when hidesThrownMessage => (false, LimitOutput.WithoutThrownMessage((check.Error ?? "").Trim())),
            _ => (false, (check.Error ?? "").Trim()),
        };
        return new ExerciseGrade(exercise.Id, exercise.Points, passed ? exercise.Points : 0, passed, message);
    }

    /// <summary>The outputs of the student's own code cells in the graded run (check and setup cells are not the student's and are left out).</summary>
    private static List<StudentCell> StudentOutputs(NotebookDocument submission, NotebookRun run, GradingPlan plan)
    {
        var cells = new List<StudentCell>();
        var results = run.Cells.ToDictionary(c => c.CellNumber);
        foreach (var (graded, number) in plan.StudentCells.OrderBy(p => p.Key))
        {
            var original = submission.Cells[number - 1];
            if (!original.IsCode)
            {
                continue;
            }

            var outputs = new List<string>();
            if (plan.AfterFirstCheck(graded))
            {
                // Code that ran after a check could print what the check passed to it (the hidden checks' inputs).
                var hiddenStatus = results.GetValueOrDefault(graded) is { Status: not CellStatus.Succeeded } after ? $"{after.Status} (the message is not shown: this cell ran after a check cell)" : null;
                cells.Add(new StudentCell(number, original.Marker is { Kind: MarkerKind.Exercise } e ? e.Id : null, ["[not shown: this cell ran after a check cell, so its output could show the check's inputs; run the notebook yourself to see it]"],
                    plan.Refused.GetValueOrDefault(graded) is { } refusedAfter ? $"not run: {refusedAfter}" : hiddenStatus));
                continue;
            }

            foreach (var output in run.Executed.Cells[graded - 1].Outputs)
            {
                var text = output switch
                {
                    StreamOutput stream => stream.Text,
                    ErrorOutput error => error.Value,
                    DataOutput data => data.Text("text/plain")
                        ?? (data.MimeTypes.Any() ? $"[{string.Join(", ", data.MimeTypes)} output: open the executed notebook to see it]" : ""),
                    _ => "",
                };
                if (text.Length > 0)
                {
                    outputs.Add(text);
                }
            }

            var refused = plan.Refused.GetValueOrDefault(graded);
            var result = results.GetValueOrDefault(graded);
            var status = refused is not null ? $"not run: {refused}" : result is null || result.Status == CellStatus.Succeeded ? null : result.Status == CellStatus.NotRun ? result.Error : $"{result.Status}: {result.ShortError}";
            cells.Add(new StudentCell(number, original.Marker is { Kind: MarkerKind.Exercise } m ? m.Id : null, outputs, status));
        }

        return cells;
    }

    /// <summary>The lesson a notebook belongs to: <c>metadata.backprop.lesson</c>, else the lesson part of its exercise markers.</summary>
    public static string? LessonOf(NotebookDocument notebook) =>
        notebook.LessonId ?? notebook.Cells.Select(c => c.Marker).OfType<Marker>()
            .Where(m => m.Kind is MarkerKind.Exercise or MarkerKind.Check).Select(m => m.Lesson).FirstOrDefault();

    private static Dictionary<string, (string, NotebookDocument)> LoadLessons(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CourseException($"{folder}: no such folder (the lessons to grade against).");
        }

        var lessons = new Dictionary<string, (string, NotebookDocument)>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var notebook = NotebookDocument.Load(path);
            if (LessonOf(notebook) is { } lesson)
            {
                lessons[lesson] = (path, notebook);
            }
        }

        return lessons;
    }
}
