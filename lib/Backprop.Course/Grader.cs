using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Backprop.Course;

/// <summary>
/// Grades submissions: finds each one's lesson from its lesson id, builds the notebook to run from the
/// instructor's setup cells (first, always), the student's cells (each checked by <see cref="CellPolicy"/> before
/// it may run) and the instructor's check cells (hidden checks included, each after its exercise), and runs it
/// in a fresh <see cref="Sandbox"/>: a throwaway folder with a hash-verified copy of the kit and a confined
/// kernel. A check counts only when the kit's own check code attests it with a secret the student's cells
/// never see. The student's file is only read; any fault becomes a problem of that submission.
/// </summary>
/// <remarks>Thread-safe: a pool grades several submissions with one grader at once, each in a sandbox of its own.</remarks>
internal sealed partial class Grader(string repositoryRoot, NotebookRunner runner, string? lessonsFolder = null)
{
    private readonly Dictionary<string, (string Path, NotebookDocument Notebook)> _lessons = LoadLessons(lessonsFolder ?? Path.Combine(repositoryRoot, "notebooks"));
    private readonly Lazy<HashSet<string>> _kitTypeNames = new(() => KitTypeNames(repositoryRoot));
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

    /// <summary>Runs the public checks only (the hidden regions of the check cells are left out): what <c>validate</c> does.</summary>
    public bool PublicChecksOnly { get; init; }

    private CellPolicy Policy => LazyInitializer.EnsureInitialized(ref _policy, () => new CellPolicy(_kit.Value));

    /// <summary>Reads the file at <paramref name="submissionPath"/> once and grades it; never throws for anything the submission holds (a fault becomes one of its problems).</summary>
    public Task<SubmissionGrade> GradeAsync(string submissionPath) => GradeAsync(SubmittedFile.Read(submissionPath));

    /// <summary>Grades one submission, already read; never throws for anything the submission holds (a fault becomes one of its problems).</summary>
    public async Task<SubmissionGrade> GradeAsync(SubmittedFile submission) => (await GradeWithOutputsAsync(submission)).Grade;

    /// <summary>Grades one submission, already read, and keeps the outputs of the student's own cells (for feedback); never throws for anything the submission holds.</summary>
    public async Task<GradedSubmission> GradeWithOutputsAsync(SubmittedFile submission) => (await GradeSafelyAsync(submission, [PublicChecksOnly]))[0];

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
    private async Task<GradedSubmission[]> GradeSafelyAsync(SubmittedFile file, bool[] publicOnly)
    {
        try
        {
            return await GradeCoreAsync(file, publicOnly);
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
        .SelectMany(c => HiddenRegion(c.Source)).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> HiddenRegion(string source)
    {
        var inside = false;
        foreach (var line in source.Split('\n').Select(l => l.Trim()))
        {
            if (line == Marker.BeginHiddenChecks)
            {
                inside = true;
            }
            else if (line == Marker.EndHiddenChecks)
            {
                inside = false;
            }
            else if (inside && line.Length > 0)
            {
                yield return line;
            }
        }
    }

    private async Task<GradedSubmission[]> GradeCoreAsync(SubmittedFile file, bool[] publicOnly)
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
        problems.AddRange(KitNameFlags(submission));
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

        var plan = Plan(submission, instructor.Notebook, publicOnly);
        NotebookRun run;
        using (var sandbox = Sandbox.Create(_kit.Value, Confinement, MemoryLimitBytes))
        {
            run = await runner.RunAsync(plan.Notebook, sandbox);
        }

        foreach (var (cell, reason) in plan.Refused)
        {
            problems.Add($"cell {plan.StudentCellNumber(cell)} was not run: {reason}.");
        }

        foreach (var failed in run.Cells.Where(c => c.Status != CellStatus.Succeeded && c.Marker?.Kind != MarkerKind.Check))
        {
            var number = plan.StudentCellNumber(failed.CellNumber);
            problems.Add(failed.Status == CellStatus.NotRun ? $"cell {number}: {failed.Error}"
                : plan.AfterFirstCheck(failed.CellNumber) ? $"cell {number} failed ({failed.Status}); its message is not shown because the cell ran after a check cell (run the notebook yourself to see it)"
                : $"cell {number} failed: {failed.ShortError}");
        }

        var hidden = instructor.Notebook.Cells.Where(c => c.Marker?.Kind == MarkerKind.Check && c.Source.Contains(Marker.BeginHiddenChecks, StringComparison.Ordinal))
            .Select(c => c.Marker!.Id).ToHashSet(StringComparer.Ordinal);
        var outputs = StudentOutputs(submission, run, plan);
        return [.. publicOnly.Select((_, mode) => new GradedSubmission(Grades(mode), outputs, hidden))];

        SubmissionGrade Grades(int mode)
        {
            var grades = new List<ExerciseGrade>();
            foreach (var exercise in exercises)
            {
                var check = plan.CheckCells[mode].TryGetValue(exercise.Id, out var number) ? run.Cells.FirstOrDefault(c => c.CellNumber == number) : null;
                var attested = check is not null && Attested(run, check, plan.Nonces[mode][exercise.Id], exercise.Id);
                var refused = plan.Refused.Where(r => plan.ExerciseOf(r.Key) == exercise.Id).Select(r => r.Value).FirstOrDefault();
                var (passed, message) = check switch
                {
                    _ when refused is not null => (false, $"your exercise cell was not run: {refused}"),
                    null when !plan.Exercises.Values.Contains(exercise.Id) => (false, $"your notebook has no exercise cell {exercise.Id} (a code cell starting `// EXERCISE {exercise.Id}`): it was deleted or its first line changed, so its check was not run"),
                    null => (false, "no check cell for this exercise"),
                    { Status: CellStatus.Succeeded } when attested => (true, ConfirmationOf(run, check)),
                    { Status: CellStatus.Succeeded } => (false, "the check cell ran but the kit's check did not confirm the result (its attestation is missing or is not from the verified kit)"),
                    _ when !publicOnly[mode] && hidden.Contains(exercise.Id) => (false, WithoutThrownMessage((check.Error ?? "").Trim())),
                    _ => (false, (check.Error ?? "").Trim()),
                };
                grades.Add(new ExerciseGrade(exercise.Id, exercise.Points, passed ? exercise.Points : 0, passed, message));
            }

            return new SubmissionGrade(display, lesson, grades, grades.Sum(g => g.Earned), grades.Sum(g => g.Points), problems);
        }
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

            foreach (var output in run.Executed.Cells[graded - 1].Json["outputs"]?.AsArray().OfType<System.Text.Json.Nodes.JsonObject>() ?? [])
            {
                var text = output["output_type"]?.GetValue<string>() switch
                {
                    "stream" => Join(output["text"]),
                    "error" => output["evalue"]?.GetValue<string>() ?? "",
                    _ when output["data"] is System.Text.Json.Nodes.JsonObject data => data["text/plain"] is { } plain ? Join(plain)
                        : data.Any() ? $"[{string.Join(", ", data.Select(d => d.Key))} output: open the executed notebook to see it]" : "",
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

    private static string Join(System.Text.Json.Nodes.JsonNode? text) => text switch
    {
        System.Text.Json.Nodes.JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        System.Text.Json.Nodes.JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    /// <summary>
    /// The notebook the grader runs, which of its cells were refused (and why), where each came from, and, for each way the
    /// check cells run (public checks only, or whole), each exercise's check cell and its secret.
    /// </summary>
    private sealed record GradingPlan(NotebookDocument Notebook, IReadOnlyDictionary<int, string> Refused, IReadOnlyDictionary<int, int> StudentCells,
        IReadOnlyDictionary<int, string> Exercises, IReadOnlyList<IReadOnlyDictionary<string, int>> CheckCells, IReadOnlyList<IReadOnlyDictionary<string, string>> Nonces)
    {
        /// <summary>The cell's number in the student's file (or in the graded notebook, for a cell the grader added).</summary>
        public int StudentCellNumber(int gradedCell) => StudentCells.TryGetValue(gradedCell, out var n) ? n : gradedCell;

        public string? ExerciseOf(int gradedCell) => Exercises.GetValueOrDefault(gradedCell);

        /// <summary>True when the graded cell runs after the first check cell (whose inputs the student's code may have kept).</summary>
        public bool AfterFirstCheck(int gradedCell) => CheckCells.SelectMany(c => c.Values).DefaultIfEmpty(int.MaxValue).Min() < gradedCell;
    }

    /// <summary>The graded notebook; each check cell is placed once per entry of <paramref name="publicOnly"/>, in that order (true: its hidden regions left out).</summary>
    private GradingPlan Plan(NotebookDocument submission, NotebookDocument instructor, bool[] publicOnly)
    {
        var checker = Policy.Start();
        var cells = new List<NotebookCell>();
        var refused = new Dictionary<int, string>();
        var studentCells = new Dictionary<int, int>();
        var exerciseCells = new Dictionary<int, string>();
        var nonces = publicOnly.Select(_ => new Dictionary<string, string>(StringComparer.Ordinal)).ToArray();
        var checkCells = publicOnly.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var checks = instructor.Cells.Where(c => c.Marker?.Kind == MarkerKind.Check).GroupBy(c => c.Marker!.Id).ToDictionary(g => g.Key, g => g.First());
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var trusted = instructor.Cells.Where(c => c.IsCode && c.Marker is null).Select(c => Normalize(c.Source)).ToHashSet(StringComparer.Ordinal);

        void PlaceCheck(string id)
        {
            if (!checks.TryGetValue(id, out var check) || !placed.Add(id))
            {
                return;
            }

            for (var mode = 0; mode < publicOnly.Length; mode++)
            {
                var nonce = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
                nonces[mode][id] = nonce;
                var cell = check.Copy();
                cell.ClearOutputs();
                if (publicOnly[mode])
                {
                    cell.Source = Release.WithoutHiddenChecks(cell.Source, $"check {id}");
                }

                checker.Trust(cell.Source);
                cell.Source = cell.Source.TrimEnd() + $"\nKit::Check.Attest(\"{nonce}\", \"{id}\");\n";
                cells.Add(cell);
                checkCells[mode][id] = cells.Count;
            }
        }

        // The instructor's setup cells come first, always; the kit is built and verified already, so the build step goes.
        foreach (var setup in instructor.Cells.Where(c => c.Marker?.Kind == MarkerKind.Setup))
        {
            var cell = setup.Copy();
            cell.ClearOutputs();
            cell.Source = SandboxSetup(cell.Source);
            cells.Add(cell);
        }

        foreach (var (cell, number) in submission.Cells.Select((c, i) => (c, i + 1)))
        {
            if (cell.Marker?.Kind is MarkerKind.Setup or MarkerKind.Check)
            {
                continue;
            }

            var copy = cell.Copy();
            cells.Add(copy);
            studentCells[cells.Count] = number;
            if (!cell.IsCode)
            {
                continue;
            }

            if (cell.Marker is { Kind: MarkerKind.Exercise } exercise)
            {
                exerciseCells[cells.Count] = exercise.Id;
            }

            if (cell.Marker is null && trusted.Contains(Normalize(cell.Source)))
            {
                checker.Trust(cell.Source);
            }
            else if ((cell.KernelName is "csharp" or "C#" ? checker.Check(cell.Source) : $"it is a cell for the '{cell.KernelName}' kernel; graded cells are C#") is { } reason)
            {
                refused[cells.Count] = reason;
                copy.Source = $"{(cell.Marker is { } m ? $"// {m.Kind.ToString().ToUpperInvariant()} {m.Id}\n" : "")}// not run by the grader: {reason}\n";
            }

            if (cell.Marker is { Kind: MarkerKind.Exercise } placedAfter)
            {
                PlaceCheck(placedAfter.Id);
            }
        }

        // A check cell whose exercise cell the student deleted is not run: it would only fail to compile, showing the hidden checks' code.

        return new GradingPlan(submission.WithCells(cells), refused, studentCells, exerciseCells, checkCells, nonces);
    }

    /// <summary>A setup cell as it runs in the sandbox: the build-if-stale step is left out (the grader built and verified the kit).</summary>
    internal static string SandboxSetup(string source) => string.Join('\n', source.Split('\n')
        .Where(l => !(l.TrimStart().StartsWith("#load", StringComparison.Ordinal) && l.Contains("KitBuild.cs", StringComparison.Ordinal))
                    && !l.TrimStart().StartsWith("KitBuild.", StringComparison.Ordinal)));

    private static string Normalize(string source) => string.Join('\n', source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).Trim();

    /// <summary>True when the check cell printed the attestation line with its secret, its exercise and the verified kit's module id; the line is then removed from the outputs.</summary>
    private bool Attested(NotebookRun run, CellResult check, string nonce, string id)
    {
        var expected = $"{WireContract.AttestationPrefix}{nonce} {id} {_kit.Value.CourseworkMvid:D}";
        var outputs = run.Executed.Cells[check.CellNumber - 1].Json["outputs"]?.AsArray() ?? [];
        var found = false;
        foreach (var output in outputs.OfType<System.Text.Json.Nodes.JsonObject>().Where(o => o["output_type"]?.GetValue<string>() == "stream"))
        {
            var text = string.Concat(output["text"]?.AsArray().Select(t => t?.GetValue<string>()) ?? []);
            var lines = text.Split('\n');
            found |= lines.Any(l => l.Trim() == expected);
            output["text"] = NotebookCell.SourceLines(string.Join('\n', lines.Where(l => !l.StartsWith(WireContract.AttestationPrefix, StringComparison.Ordinal))));
        }

        return found;
    }

    private static string ConfirmationOf(NotebookRun run, CellResult check)
    {
        var outputs = run.Executed.Cells[check.CellNumber - 1].Json["outputs"]?.AsArray() ?? [];
        var text = string.Concat(outputs.Where(o => o?["output_type"]?.GetValue<string>() == "stream")
            .SelectMany(o => o!["text"]!.AsArray().Select(t => t!.GetValue<string>())));
        return text.Trim().Split('\n').LastOrDefault(l => l.Length > 0)?.Trim() ?? "passed";
    }

    /// <summary>The lesson a notebook belongs to: <c>metadata.backprop.lesson</c>, else the lesson part of its exercise markers.</summary>
    public static string? LessonOf(NotebookDocument notebook) =>
        notebook.LessonId ?? notebook.Cells.Select(c => c.Marker).OfType<Marker>()
            .Where(m => m.Kind is MarkerKind.Exercise or MarkerKind.Check).Select(m => m.Lesson).FirstOrDefault();

    private IEnumerable<string> KitNameFlags(NotebookDocument submission)
    {
        foreach (var (cell, index) in submission.Cells.Select((c, i) => (c, i + 1)).Where(x => x.c.IsCode && x.c.Marker?.Kind is not (MarkerKind.Check or MarkerKind.Setup)))
        {
            foreach (Match match in TypeDeclaration().Matches(cell.Source))
            {
                var name = match.Groups["name"].Value;
                if (_kitTypeNames.Value.Contains(name))
                {
                    yield return $"cell {index} declares a type named '{name}', a name the kit uses (check cells call the kit through the aliases Kit::, Core::, Lessons:: and LA::, so it cannot change a check, but say so to the student).";
                }
            }
        }
    }

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

    /// <summary>The public type names of the built kit libraries (read from their metadata, without loading them).</summary>
    private static HashSet<string> KitTypeNames(string root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "Backprop" };
        foreach (var project in Kit.Projects(root))
        {
            var dll = Path.Combine(Kit.OutputDirectory(root), project + ".dll");
            if (!File.Exists(dll))
            {
                continue;
            }

            using var pe = new PEReader(File.OpenRead(dll));
            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                if ((type.Attributes & System.Reflection.TypeAttributes.VisibilityMask) is System.Reflection.TypeAttributes.Public or System.Reflection.TypeAttributes.NestedPublic)
                {
                    names.Add(reader.GetString(type.Name).Split('`')[0]);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// A check's "your code threw T: message" without the message: with hidden checks the message is the student's own text,
    /// which could carry what a hidden check passed in. The type stays; validate (public checks only) shows the whole message.
    /// </summary>
    internal static string WithoutThrownMessage(string message) => ThrownMessage().Replace(message, m =>
        $"{WireContract.CodeThrew}{m.Groups["type"].Value} (the exception's message is not shown in graded feedback, since it could hold a hidden check's input: run the check yourself to see it)", 1);

    [GeneratedRegex(WireContract.CodeThrew + @"(?<type>[A-Za-z0-9_.`]+): .*\z", RegexOptions.Singleline)]
    private static partial Regex ThrownMessage();

    [GeneratedRegex(@"\b(class|struct|record|interface|enum|namespace)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex TypeDeclaration();
}
