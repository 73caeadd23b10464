using Backprop.Course.Cli;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;
using Backprop.Course.Running;
using Backprop.Course.Transforms;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// Shared by every engine test: the kit is built once and the engine restored once, before any
/// notebook runs; the student release is written (and its kit built) once, on first use.
/// </summary>
public sealed class EngineFixture
{
    private static readonly Lazy<EngineFixture> s_shared = new(() => new EngineFixture());
    private readonly Lazy<string> _release;
    private readonly Lazy<Dictionary<string, Task<LessonRun>>> _lessonRuns;
    private readonly Lazy<Task<IReadOnlyList<GradedBothWays>>> _bothWays;

    /// <summary>One instance for the whole test run (the two engine collections run side by side).</summary>
    public static EngineFixture Shared => s_shared.Value;

    private EngineFixture()
    {
        Root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);
        Course.Kit.EnsureBuilt(Root, TextWriter.Null);
        ToolDll = Engine.ToolDll(Root, TextWriter.Null);
        Scratch = Directory.CreateTempSubdirectory("backprop-notebooks-tests-").FullName;
        _lessonRuns = new(StartLessonRuns);
        _bothWays = new(() => Task.Run(GradeBothWaysAsync));
        _release = new(() =>
        {
            // Written the way a lecturer would, with the release verb, through a link to a fresh folder (ReleaseSafetyTests checks that).
            var folder = Directory.CreateDirectory(Path.Combine(Scratch, "release")).FullName;
            Directory.CreateSymbolicLink(ReleaseLink, folder);
            var output = new StringWriter();
            var exit = Task.Run(() => Program.RunAsync(["release", "--output", ReleaseLink], Root, output, output)).GetAwaiter().GetResult();
            if (exit != 0)
            {
                throw new InvalidOperationException($"release --output {ReleaseLink} exited with {exit}:\n{output}");
            }

            Course.Kit.EnsureBuilt(folder, TextWriter.Null);
            return folder;
        });
    }

    public string Root { get; }

    public string ToolDll { get; }

    /// <summary>A temporary folder (under the system temp folder) for submissions and releases.</summary>
    public string Scratch { get; }

    /// <summary>The student release of the course, with its kit built (the folder <see cref="ReleaseLink"/> links to).</summary>
    public string ReleaseRoot => _release.Value;

    /// <summary>The link the release verb was given as its output; it points to <see cref="ReleaseRoot"/>.</summary>
    public string ReleaseLink => Path.Combine(Scratch, "release-link");

    public string NotebooksFolder => Path.Combine(Root, "notebooks");

    public IEnumerable<string> InstructorNotebooks => Directory.GetFiles(NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal);

    /// <summary>
    /// Every instructor notebook, then every release copy, each graded once both ways (<see cref="Grader.GradeBothWaysAsync"/>:
    /// one sandboxed kernel, each check cell as validate runs it, then as grade runs it) by the instructor's grader,
    /// <see cref="Jobs"/> kernels at a time; shared by the agreement test and the release test, whichever asks first.
    /// </summary>
    internal Task<IReadOnlyList<GradedBothWays>> BothWaysAsync() => _bothWays.Value;

    private async Task<IReadOnlyList<GradedBothWays>> GradeBothWaysAsync()
    {
        var grader = new Grader(Root, Runner());
        var paths = InstructorNotebooks.Concat(InstructorNotebooks.Select(p => Path.Combine(ReleaseRoot, "notebooks", Path.GetFileName(p)))).ToList();
        var graded = await PooledAsync(paths, grader.GradeBothWaysAsync);
        return [.. paths.Zip(graded, (p, g) => new GradedBothWays(p, p.StartsWith(ReleaseRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal), g.Validate, g.Grade))];
    }

    /// <summary>How many kernels the fixture's batches of engine runs use at once (the lessons, the release, validate and grade).</summary>
    internal static int Jobs => Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>
    /// The instructor notebook <paramref name="name"/> run once in the real engine, shared by every test that needs it
    /// (the notebook's own test, the site, the comparison with its app), whichever asks first: the instructor cells of
    /// the lesson's run (see <see cref="LessonRunAsync"/>), exactly as a run of the notebook alone gives them.
    /// </summary>
    internal async Task<NotebookRun> InstructorRunAsync(string name) => (await LessonRunAsync(name)).Instructor;

    /// <summary>
    /// One kernel per lesson: the instructor notebook, then every exercise's variants (<see cref="VariantTests"/>) after its
    /// last cell. The first call starts every lesson, <see cref="Jobs"/> kernels at a time, in lesson order.
    /// </summary>
    internal Task<LessonRun> LessonRunAsync(string name)
    {
        var runs = _lessonRuns.Value;
        return runs.TryGetValue(name, out var run) ? run : throw new ArgumentException($"{name}: not a lesson of {NotebooksFolder}", nameof(name));
    }

    private Dictionary<string, Task<LessonRun>> StartLessonRuns()
    {
        var gate = new SemaphoreSlim(Jobs);
        return InstructorNotebooks.ToDictionary(p => Path.GetFileName(p), p => Task.Run(async () =>
        {
            await gate.WaitAsync();
            try
            {
                return await LessonRun.RunAsync(Runner(), NotebookDocument.Load(p), NotebooksFolder);
            }
            finally
            {
                gate.Release();
            }
        }), StringComparer.Ordinal);
    }

    /// <summary>Runs <paramref name="run"/> over <paramref name="items"/>, <see cref="Jobs"/> at a time; the results in the items' order.</summary>
    internal static async Task<TResult[]> PooledAsync<TItem, TResult>(IEnumerable<TItem> items, Func<TItem, Task<TResult>> run)
    {
        using var gate = new SemaphoreSlim(Jobs);
        return await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                return await run(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    internal NotebookRunner Runner(int cellTimeoutSeconds = 120, int notebookTimeoutSeconds = 600) =>
        new(ToolDll, TextWriter.Null)
        {
            CellTimeout = TimeSpan.FromSeconds(cellTimeoutSeconds),
            NotebookTimeout = TimeSpan.FromSeconds(notebookTimeoutSeconds),
        };
}

/// <summary>
/// A lesson's run: the instructor notebook's cells and, after them in the same kernel, each exercise's variants (an exercise
/// cell with the variant's solution, then the instructor's check cell and, for a wrong variant, the release's check cell:
/// the same without its hidden checks, as the release verb writes it), the instructor's solution again after the last
/// variant of each exercise. The instructor cells run first and alone, so their results and outputs are those of the
/// notebook run on its own.
/// </summary>
internal sealed record LessonRun(NotebookRun Instructor, NotebookRun Whole, IReadOnlyList<VariantRun> Variants)
{
    public static async Task<LessonRun> RunAsync(NotebookRunner runner, NotebookDocument notebook, string workingDirectory)
    {
        var cells = notebook.Cells.Select(c => c.Copy()).ToList();
        var instructorCells = cells.Count;
        var variants = new List<VariantRun>();
        var exercises = notebook.Cells.Where(c => c.Marker?.Kind == MarkerKind.Exercise).ToDictionary(c => c.Marker!.Id, StringComparer.Ordinal);
        foreach (var check in notebook.Cells.Where(c => c.Marker?.Kind == MarkerKind.Check && exercises.ContainsKey(c.Marker.Id)))
        {
            var exercise = exercises[check.Marker!.Id];
            var solutions = VariantTests.VariantsOf(check.Marker.Id);
            foreach (var (variant, source, correct) in solutions)
            {
                var attempt = exercise.Copy();
                attempt.Source = VariantTests.WithSolution(exercise.Source, source);
                cells.Add(attempt);
                cells.Add(check.Copy());
                var (exerciseCell, checkCell) = (cells.Count - 1, cells.Count);
                int? publicCheckCell = null;
                if (!correct)
                {
                    var publicCheck = check.Copy();
                    publicCheck.Source = RemoveHiddenChecks.Apply(check.Source, $"check {check.Marker.Id}");
                    cells.Add(publicCheck);
                    publicCheckCell = cells.Count;
                }

                variants.Add(new VariantRun(exerciseCell, checkCell, publicCheckCell, check.Marker.Id, variant, correct));
            }

            if (solutions.Count > 0)
            {
                cells.Add(exercise.Copy());   // the instructor's solution again, for the next exercise's variants
            }
        }

        var whole = await runner.RunAsync(notebook.WithCells(cells, notebook.Name), workingDirectory);
        var instructor = new NotebookRun(whole.Executed.WithCells(whole.Executed.Cells.Take(instructorCells), notebook.Name), [.. whole.Cells.Where(c => c.CellNumber <= instructorCells)]);
        return new LessonRun(instructor, whole, variants);
    }
}

/// <summary>
/// One variant in a <see cref="LessonRun"/>: its exercise cell, check cell and, for a wrong variant, the release's check cell
/// (1-based cell numbers of the whole run), and whether it is correct.
/// </summary>
internal sealed record VariantRun(int ExerciseCell, int CheckCell, int? PublicCheckCell, string Id, string Variant, bool Correct);

/// <summary>A notebook (an instructor's, or its release copy) graded both ways in one run: what validate reports, what grade reports.</summary>
internal sealed record GradedBothWays(string Path, bool IsRelease, SubmissionGrade Validate, SubmissionGrade Grade);
