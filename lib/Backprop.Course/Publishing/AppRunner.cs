using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Publishing;

/// <summary>
/// The lessons as C# file-based apps: <c>export apps</c> writes them (<see cref="AppExporter"/>), <c>run --engine app</c>
/// runs them with <c>dotnet run</c> — no .NET Interactive process — and reports per lesson as <c>run</c> does.
/// </summary>
internal static class AppRunner
{
    /// <summary>How long a run of one lesson's transcript file name ends.</summary>
    public const string TranscriptSuffix = ".transcript.json";

    private static readonly JsonSerializerOptions s_read = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The <c>export apps</c> verb: <c>export apps [notebooks…] [--output DIR] [--student]</c>.</summary>
    public static Command AppsCommand(string currentDirectory, TextWriter stdout)
    {
        var notebooks = new Argument<string[]>("notebooks") { Description = "The notebooks to export (default: every notebooks/*.ipynb of the kit).", Arity = ArgumentArity.ZeroOrMore };
        notebooks.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-')))
            {
                result.AddError($"unknown option {token.Value}.");
            }
        });
        var output = new Option<string?>("--output") { Description = "Folder for the apps (default: artifacts/apps/, or artifacts/apps-student/ with --student).", HelpName = "DIR" };
        var student = new Option<bool>("--student") { Description = "Export the student release's apps: solutions stubbed (\"not attempted yet\"), hidden checks removed." };
        var export = new Command("apps", "Writes each lesson notebook as a C# file-based app (dotnet run NN-name.cs): its cells in order, its checks, its charts as offline pages.")
        {
            notebooks, output, student,
        };
        export.SetAction(result =>
        {
            var root = Kit.RepositoryRoot(currentDirectory);
            var files = Lessons(root, [.. result.GetValue(notebooks)!.Select(n => Path.GetFullPath(n, currentDirectory))]);
            var isStudent = result.GetValue(student);
            var folder = result.GetValue(output) is { } o ? Path.GetFullPath(o, currentDirectory) : DefaultFolder(root, isStudent);
            Kit.EnsureBuilt(root, stdout);
            var apps = new AppExporter(root).ExportAll(files, folder, StudentVersion(isStudent), stdout);
            stdout.WriteLine($"{apps.Count} app(s) written to {folder}. Run one from there:  dotnet run {Path.GetFileName(apps[0])}");
            return 0;
        });
        return export;
    }

    /// <summary>
    /// <c>--jobs N</c> of <c>run</c>: how many lessons run at once. No value: the engine's default — one kernel per core for
    /// the notebook engine, one app at a time for apps (two <c>dotnet run</c> builds of the same kit at once race).
    /// </summary>
    public static Option<int?> JobsOption() => new("--jobs")
    {
        Description = "How many lessons run at once (default: one kernel per core; with --engine app, one app at a time).",
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 16)
            {
                return n;
            }

            result.AddError($"--jobs {text}: expected a whole number from 1 to 16.");
            return null;
        },
    };

    /// <summary>
    /// True when <paramref name="app"/> was exported after its <paramref name="notebook"/> and the kit manifest last changed
    /// (an app's text depends on nothing else), so it need not be exported again.
    /// </summary>
    public static bool IsFresh(string root, string notebook, string app) =>
        File.Exists(app)
        && File.GetLastWriteTimeUtc(app) > File.GetLastWriteTimeUtc(notebook)
        && File.GetLastWriteTimeUtc(app) > File.GetLastWriteTimeUtc(Path.Combine(root, KitBuild.Manifest));

    /// <summary>
    /// Exports to artifacts/apps/ (or artifacts/apps-student/) the apps of <paramref name="notebooks"/> that are not fresh
    /// (<see cref="IsFresh"/>); returns how many.
    /// </summary>
    public static int ExportStale(string root, IReadOnlyList<string> notebooks, bool student)
    {
        var folder = DefaultFolder(root, student);
        var stale = notebooks.Where(n => !IsFresh(root, n, Path.Combine(folder, Path.GetFileNameWithoutExtension(n) + ".cs"))).ToList();
        if (stale.Count > 0)
        {
            new AppExporter(root).ExportAll(stale, folder, StudentVersion(student), TextWriter.Null);
        }

        return stale.Count;
    }

    /// <summary>The release's student version of a notebook when <paramref name="student"/>, else none (the lecturer's apps).</summary>
    private static Func<NotebookDocument, NotebookDocument>? StudentVersion(bool student) => student ? Release.ForStudents : null;

    /// <summary>The apps' folder: artifacts/apps (instructor) or artifacts/apps-student.</summary>
    public static string DefaultFolder(string root, bool student) => Path.Combine(root, "artifacts", student ? "apps-student" : "apps");

    /// <summary>The lesson notebooks to use: those named, or every notebooks/*.ipynb of the kit.</summary>
    public static List<string> Lessons(string root, List<string> named)
    {
        var notebooks = named.Count > 0 ? named : [.. Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal)];
        if (notebooks.Count == 0)
        {
            throw new CourseException($"no notebooks found in {Path.Combine(root, "notebooks")}.");
        }

        foreach (var missing in notebooks.Where(n => !File.Exists(n)))
        {
            throw new CourseException($"{missing}: no such file.");
        }

        return notebooks;
    }

    /// <summary>
    /// <c>run --engine app</c>: exports the lessons' apps, runs each with <c>dotnet run</c> (at most <paramref name="jobs"/>
    /// at once), prints a summary per lesson like <c>run</c>; 0 when every cell of every lesson succeeded, else 1.
    /// </summary>
    public static async Task<int> RunAsync(List<string> notebooks, string? output, int timeoutSeconds, int jobs, string currentDirectory, TextWriter stdout)
    {
        var root = Kit.RepositoryRoot(currentDirectory);
        notebooks = Lessons(root, notebooks);
        Kit.EnsureBuilt(root, stdout);
        var folder = output ?? DefaultFolder(root, student: false);
        var apps = new AppExporter(root).ExportAll(notebooks, folder, studentVersion: null, TextWriter.Null);
        stdout.WriteLine($"Running {apps.Count} lesson app(s) from {folder} with dotnet run, {jobs} at a time (no notebook engine) …");
        var runs = await RunAppsAsync(apps, TimeSpan.FromSeconds(timeoutSeconds), jobs, stdout);

        stdout.WriteLine();
        stdout.WriteLine("Summary");
        foreach (var (notebook, run) in notebooks.Zip(runs))
        {
            var codeCells = NotebookDocument.Load(notebook).Cells.Count(c => c.IsCode);
            var name = Path.GetFileName(notebook);
            if (run.Transcript is null)
            {
                stdout.WriteLine($"  ✘ {name}: {run.Problem}");
                continue;
            }

            var cells = run.Transcript.Cells;
            var empty = codeCells - cells.Count;   // blank code cells: nothing to run, as in the notebook run
            var failed = cells.Where(c => c.Error is not null).ToList();
            var checks = cells.Where(c => c.Marker?.StartsWith("CHECK", StringComparison.Ordinal) == true).ToList();
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(run.Succeeded ? "✔" : "✘")} {name}: {cells.Count + empty} of {codeCells} code cells run, {failed.Count} failed, exercise checks passed {checks.Count(c => c.Error is null)}/{checks.Count} (app {Path.GetFileName(run.App)}, {run.Elapsed.TotalSeconds:0.0} s)"));
            foreach (var cell in failed)
            {
                stdout.WriteLine($"      cell {cell.Number}{(cell.Marker is { } m ? $" ({m})" : "")}: Failed: {cell.Error!.Trim().Split('\n')[0].Trim()}");
            }

            if (run.Problem is not null)
            {
                stdout.WriteLine($"      {run.Problem}");
            }
        }

        stdout.WriteLine($"Apps, their charts and transcripts in {folder}");
        var ok = runs.All(r => r.Succeeded);
        stdout.WriteLine(ok ? $"All {runs.Count} lesson app(s) passed." : $"{runs.Count(r => !r.Succeeded)} of {runs.Count} lesson app(s) failed.");
        return ok ? 0 : 1;
    }

    /// <summary>Runs exported apps, at most <paramref name="jobs"/> at once; results in the order of <paramref name="apps"/>.</summary>
    public static async Task<IReadOnlyList<AppRun>> RunAppsAsync(IReadOnlyList<string> apps, TimeSpan timeout, int jobs, TextWriter progress)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, jobs));
        var tasks = apps.Select(async app =>
        {
            await slots.WaitAsync();
            try
            {
                var run = await RunAppAsync(app, timeout);
                lock (progress)
                {
                    progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(app)}: {(run.Succeeded ? "passed" : "FAILED")} in {run.Elapsed.TotalSeconds:0.0} s"));
                }

                return run;
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        return await Task.WhenAll(tasks);
    }

    /// <summary>
    /// <c>dotnet run APP -- --transcript …</c> in the app's folder. The kit is built before (Kit.EnsureBuilt), so the app's
    /// build does not build the kit's projects again (several apps may build at once). While it runs, its process tree
    /// is watched for a .NET Interactive process: a lesson app must need none.
    /// </summary>
    public static async Task<AppRun> RunAppAsync(string app, TimeSpan timeout)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(app))!;
        var transcript = Path.Combine(folder, Path.GetFileNameWithoutExtension(app) + TranscriptSuffix);
        File.Delete(transcript);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["run", Path.GetFileName(app), "-c", "Release", "-p:BuildProjectReferences=false", "--", WireContract.TranscriptOption, transcript])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new CourseException("could not start dotnet.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var stop = new CancellationTokenSource();
        var engineSeen = WatchForEngineAsync(process.Id, stop.Token);
        var exited = process.WaitForExitAsync();
        string? problem = null;
        if (await Task.WhenAny(exited, Task.Delay(timeout)) != exited)
        {
            process.Kill(entireProcessTree: true);
            problem = $"stopped: ran past its time limit of {timeout.TotalSeconds:0} s";
            await process.WaitForExitAsync();
        }

        await stop.CancelAsync();
        var engine = await engineSeen;
        var output = await stdout;
        var errors = await stderr;
        AppTranscript? record = null;
        if (File.Exists(transcript))
        {
            record = JsonSerializer.Deserialize<AppTranscript>(await File.ReadAllTextAsync(transcript), s_read);
        }
        else
        {
            var tail = string.Join('\n', (output + errors).Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Take(5));
            problem ??= $"the app did not run (exit code {process.ExitCode}): {(tail.Length > 0 ? tail : errors.Trim())}";
        }

        if (engine is not null)
        {
            problem = $"a .NET Interactive process ran under the app ({engine})";
        }

        var succeeded = problem is null && process.ExitCode == 0 && record is not null && record.Cells.All(c => c.Error is null);
        return new AppRun(app, record, succeeded, problem, output, errors, clock.Elapsed);
    }

    /// <summary>Polls the process tree under <paramref name="pid"/> (Linux /proc) for a notebook engine; its command line when one was seen.</summary>
    private static async Task<string?> WatchForEngineAsync(int pid, CancellationToken stop)
    {
        if (!Directory.Exists("/proc"))
        {
            return null;
        }

        while (!stop.IsCancellationRequested)
        {
            foreach (var child in Descendants(pid))
            {
                try
                {
                    var command = File.ReadAllText($"/proc/{child}/cmdline").Replace('\0', ' ');
                    if (command.Contains("Microsoft.DotNet.Interactive", StringComparison.Ordinal) || command.Contains("dotnet-interactive", StringComparison.Ordinal)
                        || command.Contains(" interactive stdio", StringComparison.Ordinal))
                    {
                        return command.Trim();
                    }
                }
                catch (IOException)
                {
                }
            }

            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return null;
    }

    private static List<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[id] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (child, _) in parents.Where(p => p.Value == parent))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }
}

/// <summary>One lesson app's run: its transcript (null when it did not run), whether every cell succeeded, what went wrong, its output.</summary>
internal sealed record AppRun(string App, AppTranscript? Transcript, bool Succeeded, string? Problem, string Output, string Errors, TimeSpan Elapsed);
