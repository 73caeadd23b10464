using System.Diagnostics;
using System.Globalization;
using Backprop.Course.Notebooks;
using Backprop.Course.Running;

namespace Backprop.Course.Publishing;

/// <summary>
/// The <c>run</c> pipeline: executes notebooks in the real engine (several kernels at once with <c>--jobs</c>), saves each
/// executed notebook, prints a summary; the main job (every lesson into the kit's artifacts/) also exports the lesson apps
/// and writes the web book.
/// </summary>
internal static class LessonBatch
{
    /// <summary>One notebook's run: null with the reason when it could not run at all.</summary>
    private sealed record LessonOutcome(string Path, NotebookRun? Run, string? Problem, TimeSpan Elapsed);

    /// <summary>Runs <paramref name="notebooks"/> (none: every notebooks/*.ipynb of the kit): 0 when every notebook passed, 1 when not.</summary>
    public static async Task<int> RunAsync(List<string> notebooks, string? output, int cellTimeout, int notebookTimeout, int jobs, string currentDirectory, TextWriter stdout)
    {
        var root = Kit.RepositoryRoot(currentDirectory);
        // The main job (every lesson, into the kit's artifacts/): it also exports the apps and writes the web book.
        var mainJob = notebooks.Count == 0 && output is null;
        notebooks = notebooks.Count > 0
            ? notebooks
            : Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();
        if (notebooks.Count == 0)
        {
            throw new CourseException($"no notebooks found in {Path.Combine(root, "notebooks")}.");
        }

        foreach (var missing in notebooks.Where(n => !File.Exists(n)))
        {
            throw new CourseException($"{missing}: no such file.");
        }

        // One lesson at a time shows every cell as it finishes; several at once would interleave those characters, so
        // each lesson gets one line when it finishes instead (the lessons are independent: a kernel of their own each).
        jobs = Math.Clamp(jobs, 1, notebooks.Count);
        var runner = RunnerSetup.Create(notebooks, stdout, cellTimeout, notebookTimeout, quiet: jobs > 1);
        if (jobs > 1)
        {
            stdout.WriteLine($"Running {notebooks.Count} notebook(s) in the real engine, {jobs} kernels at a time …");
        }

        // The apps (Roslyn, in this process) are exported while the kernels run; only those older than their notebook.
        // The student apps are the web book's (a published book must not hold the solutions).
        var apps = mainJob
            ? Task.Run(() => (Lecturer: AppRunner.ExportStale(root, notebooks, student: false), Student: AppRunner.ExportStale(root, notebooks, student: true)))
            : Task.FromResult((Lecturer: 0, Student: 0));
        var runs = await RunAllAsync(notebooks, runner, output, jobs, stdout);
        WriteSummary(runs, output, stdout);
        if (mainJob)
        {
            await WriteWhereEverythingIsAsync(root, runs, apps, stdout);
        }

        var ok = runs.All(r => r.Run is { Succeeded: true });
        stdout.WriteLine(ok ? $"All {runs.Length} notebook(s) passed." : $"{runs.Count(r => r.Run is not { Succeeded: true })} of {runs.Length} notebook(s) failed.");
        return ok ? 0 : 1;
    }

    /// <summary>Runs the notebooks, <paramref name="jobs"/> at a time; the outcomes keep the notebooks' order.</summary>
    private static async Task<LessonOutcome[]> RunAllAsync(List<string> notebooks, NotebookRunner runner, string? output, int jobs, TextWriter stdout)
    {
        var outcomes = new LessonOutcome[notebooks.Count];
        var progress = new ProgressCounter(notebooks.Count, stdout);
        var gate = new Lock();
        await Parallel.ForEachAsync(Enumerable.Range(0, notebooks.Count), new ParallelOptions { MaxDegreeOfParallelism = jobs }, async (i, _) =>
        {
            var outcome = outcomes[i] = await RunOneAsync(notebooks[i], runner, output);
            lock (gate)
            {
                if (jobs > 1)
                {
                    progress.Report(ProgressLine(outcome));
                }
                else if (outcome.Run is null)
                {
                    stdout.WriteLine();
                }
            }
        });
        return outcomes;
    }

    private static async Task<LessonOutcome> RunOneAsync(string path, NotebookRunner runner, string? output)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var run = await runner.RunAsync(NotebookDocument.Load(path), Path.GetDirectoryName(Path.GetFullPath(path))!);
            run.Executed.Save(Path.Combine(ExecutedFolder(path, output), Path.GetFileName(path)));
            return new(path, run, null, clock.Elapsed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new(path, null, e is CourseException ? e.Message : $"could not run it ({e.GetType().Name}: {e.Message})", clock.Elapsed);
        }
    }

    /// <summary>Executed notebooks go to the artifacts/ folder of the kit copy they belong to, unless told otherwise.</summary>
    private static string ExecutedFolder(string notebook, string? output) => output ?? Path.Combine(Kit.RepositoryRoot(notebook), "artifacts", "notebooks");

    /// <summary>The progress line of one finished lesson: its verdict, cells and checks, and its own time.</summary>
    private static string ProgressLine(LessonOutcome outcome)
    {
        var name = Path.GetFileName(outcome.Path);
        var what = outcome.Run is not { } run
            ? $"✘ {name}: {outcome.Problem}"
            : $"{(run.Succeeded ? "✔" : "✘")} {name}: {run.Cells.Count(c => c.Status != CellStatus.Succeeded)} of {run.Cells.Count} code cells failed, checks passed {run.Checks.Count(c => c.Status == CellStatus.Succeeded)}/{run.Checks.Count()}";
        return string.Create(CultureInfo.InvariantCulture, $"{what} ({outcome.Elapsed.TotalSeconds:0.0} s)");
    }

    private static void WriteSummary(LessonOutcome[] runs, string? output, TextWriter stdout)
    {
        stdout.WriteLine();
        stdout.WriteLine("Summary");
        foreach (var (path, run, problem, _) in runs)
        {
            var name = Path.GetFileName(path);
            if (run is null)
            {
                stdout.WriteLine($"  ✘ {name}: {problem}");
                continue;
            }

            var ran = run.Cells.Count(c => c.Status is CellStatus.Succeeded or CellStatus.Failed);
            var failed = run.Cells.Where(c => c.Status is not CellStatus.Succeeded).ToList();
            var checks = run.Checks.ToList();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(run.Succeeded ? "✔" : "✘")} {name}: {ran} of {run.Cells.Count} code cells run, {failed.Count} failed, exercise checks passed {checks.Count(c => c.Status == CellStatus.Succeeded)}/{checks.Count}"));
            foreach (var cell in failed)
            {
                stdout.WriteLine($"      cell {cell.CellNumber}{(cell.Marker is { } m ? $" ({m.Kind.ToString().ToUpperInvariant()} {m.Id})" : "")}: {cell.Status}: {cell.ShortError}");
            }
        }

        var folders = runs.Where(r => r.Run is not null).Select(r => ExecutedFolder(r.Path, output)).Distinct().ToList();
        if (folders.Count > 0)
        {
            stdout.WriteLine($"Executed notebooks written to {string.Join(", ", folders)}");
        }
    }

    /// <summary>The main job's last part: waits for the apps, writes the web book, and says where everything is.</summary>
    private static async Task WriteWhereEverythingIsAsync(string root, LessonOutcome[] runs, Task<(int Lecturer, int Student)> apps, TextWriter stdout)
    {
        string appsState;
        try
        {
            var (lecturer, student) = await apps;
            appsState = (lecturer, student) == (0, 0)
                ? "up to date"
                : $"{lecturer} exported, and {student} student version(s) into {Path.GetFileName(AppRunner.DefaultFolder(root, student: true))}{Path.DirectorySeparatorChar}";
        }
        catch (CourseException e)
        {
            appsState = $"not exported: {e.Message}";
        }

        var executedFiles = runs.Where(r => r.Run is not null).Select(r => Path.Combine(root, "artifacts", "notebooks", Path.GetFileName(r.Path))).ToList();
        if (executedFiles.Count == 0)
        {
            return;
        }

        var site = Path.Combine(root, "artifacts", "site");
        var pages = Site.Write(executedFiles, site, root, TextWriter.Null);
        stdout.WriteLine();
        stdout.WriteLine("Where everything is");
        stdout.WriteLine($"  executed notebooks  {Path.Combine(root, "artifacts", "notebooks")}{Path.DirectorySeparatorChar}  (open them in VS Code: every output in place)");
        stdout.WriteLine($"  lesson apps         {AppRunner.DefaultFolder(root, student: false)}{Path.DirectorySeparatorChar}  ({appsState}; from there: dotnet run 02-backpropagation.cs)");
        stdout.WriteLine($"  web book            {Path.Combine(site, "index.html")}  ({pages.Count} lesson page(s), offline; publish the folder as it is{(Directory.Exists(Path.Combine(site, "live")) ? $"; live in a browser: {Site.ServeCommand}" : "")})");
    }
}
