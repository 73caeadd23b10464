using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Backprop.Course;

/// <summary>
/// <c>dotnet run --project lib/Backprop.Course -- &lt;verb&gt; …</c>: run, release, grade (System.CommandLine;
/// <c>--help</c> on the tool and on every verb).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The engine connection captures Console.Out while a command runs: write to the raw streams.
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
        return await RunAsync(args, Directory.GetCurrentDirectory(), stdout, stderr);
    }

    /// <summary>Parses <paramref name="args"/> and runs the verb: 0 success, 1 a notebook or submission failed, 2 a usage or input error.</summary>
    public static async Task<int> RunAsync(string[] args, string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        var root = Commands(currentDirectory, stdout, stderr);
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (args.Length == 0)
        {
            await root.Parse(["--help"]).InvokeAsync(invocation);
            return 2;
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine($"Run with --help to see the verbs and their options{(parsed.CommandResult.Command == root ? "" : $" (or {parsed.CommandResult.Command.Name} --help)")}.");
            return 2;
        }

        try
        {
            return await parsed.InvokeAsync(invocation);
        }
        catch (CourseException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static RootCommand Commands(string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        var notebooks = Paths("notebooks", "The notebooks to run (default: every notebooks/*.ipynb of the kit).", ArgumentArity.ZeroOrMore);
        var runOutput = new Option<string?>("--output") { Description = "Folder for the executed notebooks (default: artifacts/notebooks/ of the kit copy each belongs to).", HelpName = "DIR" };
        var cellTimeout = Seconds("--cell-timeout", "Time limit of one cell, in seconds.", 120);
        var runTimeout = Seconds("--timeout", "Time limit of one notebook, in seconds.", 600);
        var engine = new Option<string>("--engine") { Description = "notebook: the real .NET Interactive engine; app: each lesson as a C# file-based app (dotnet run, no engine; --output is then the apps' folder).", DefaultValueFactory = _ => "notebook" };
        engine.AcceptOnlyFromAmong("notebook", "app");
        var jobs = AppRunner.JobsOption();
        var run = new Command("run", "Executes notebooks in the real .NET Interactive engine, cell by cell (or as apps, --engine app); prints a summary per notebook; exits 1 when any cell fails.")
        {
            notebooks, runOutput, cellTimeout, runTimeout, engine, jobs,
        };
        run.SetAction((result, _) => result.GetValue(engine) == "app"
            ? AppRunner.RunAsync(
                [.. result.GetValue(notebooks)!.Select(n => Path.GetFullPath(n, currentDirectory))],
                result.GetValue(runOutput) is { } a ? Path.GetFullPath(a, currentDirectory) : null,
                result.GetValue(runTimeout), result.GetValue(jobs), currentDirectory, stdout)
            : RunNotebooksAsync(
                [.. result.GetValue(notebooks)!.Select(n => Path.GetFullPath(n, currentDirectory))],
                result.GetValue(runOutput) is { } o ? Path.GetFullPath(o, currentDirectory) : null,
                result.GetValue(cellTimeout), result.GetValue(runTimeout), currentDirectory, stdout));

        var releaseOutput = new Option<string>("--output") { Description = "Folder to write the release to (a folder of its own, outside the kit's repository).", HelpName = "DIR", Required = true };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty folder, overwriting the release files in it (other files stay)." };
        var release = new Command("release", "Writes the student version of every notebook (solutions stubbed, hidden checks removed, outputs cleared) and the kit's sources to DIR.")
        {
            releaseOutput, force,
        };
        release.SetAction(result =>
        {
            Release.Write(Kit.RepositoryRoot(currentDirectory), Path.GetFullPath(result.GetValue(releaseOutput)!, currentDirectory), result.GetValue(force), stdout);
            return 0;
        });

        var submissions = Paths("submissions", "The submitted .ipynb files.", ArgumentArity.OneOrMore);
        var json = new Option<bool>("--json") { Description = "Print the grades as JSON (progress goes to stderr)." };
        var gradeTimeout = Seconds("--timeout", "Time limit of one submission, in seconds.", 300);
        var report = new Option<string?>("--output") { Description = "JSON report file, rewritten after each submission (so an interrupted batch keeps what is done).", HelpName = "FILE" };
        var resume = new Option<bool>("--resume") { Description = "With --output: keep the results already in FILE for submissions whose content (SHA-256) is unchanged, and grade only the others." };
        var grade = new Command("grade", "Grades submissions, each in a sandbox of its own with the instructor's setup and check cells put back; prints a table, or JSON with --json; exits 1 when a submission could not be fully graded.")
        {
            submissions, json, gradeTimeout, report, resume,
        };
        grade.Validators.Add(result =>
        {
            if (result.GetValue(resume) && result.GetValue(report) is null)
            {
                result.AddError("--resume needs --output FILE (the report to resume).");
            }
        });
        grade.SetAction((result, _) => GradeAsync(
            [.. result.GetValue(submissions)!.Select(n => Path.GetFullPath(n, currentDirectory))],
            result.GetValue(json), result.GetValue(gradeTimeout), result.GetValue(report) is { } r ? Path.GetFullPath(r, currentDirectory) : null,
            result.GetValue(resume), currentDirectory, stdout, stderr));

        var executed = Paths("executed", "Executed notebooks (default: artifacts/notebooks/*.ipynb, written by run).", ArgumentArity.ZeroOrMore);
        var chartsOutput = new Option<string?>("--output") { Description = "Folder for the pages and pictures (default: artifacts/charts/).", HelpName = "DIR" };
        var width = new Option<int>("--width") { Description = "Page width in CSS pixels, about a VS Code notebook output's.", HelpName = "PIXELS", DefaultValueFactory = _ => ChartPictures.DefaultWidth };
        var charts = new Command("charts", "Writes every chart of executed notebooks as an offline page and, with Chromium on the machine, a PNG to look at.")
        {
            executed, chartsOutput, width,
        };
        charts.SetAction(result =>
        {
            var root = Kit.RepositoryRoot(currentDirectory);
            var files = result.GetValue(executed)!.Select(n => Path.GetFullPath(n, currentDirectory)).ToList();
            if (files.Count == 0)
            {
                var folder = Path.Combine(root, "artifacts", "notebooks");
                files = Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal)] : [];
            }

            if (files.Count == 0)
            {
                throw new CourseException("no executed notebooks: run the lessons first (run), or name executed .ipynb files.");
            }

            foreach (var missing in files.Where(f => !File.Exists(f)))
            {
                throw new CourseException($"{missing}: no such file.");
            }

            var output = result.GetValue(chartsOutput) is { } o ? Path.GetFullPath(o, currentDirectory) : Path.Combine(root, "artifacts", "charts");
            var pictures = ChartPictures.Write(files, output, Kit.OutputDirectory(root), result.GetValue(width), stdout);
            stdout.WriteLine($"{pictures.Count} chart(s) of {files.Count} notebook(s) written to {output}");
            return 0;
        });

        return new RootCommand("Backprop.Course — the course tool of the Backprop.Notebooks kit: run, release, grade, charts, export.")
        {
            run, release, grade, charts, AppRunner.ExportCommand(currentDirectory, stdout),
        };
    }

    /// <summary>A whole, positive number of seconds.</summary>
    private static Option<int> Seconds(string name, string description, int fallback) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                return seconds;
            }

            result.AddError($"{name} {text}: expected a whole, positive number of seconds.");
            return fallback;
        },
    };

    /// <summary>Paths, of which none may look like an option (an unknown option would otherwise be taken for a file name).</summary>
    private static Argument<string[]> Paths(string name, string description, ArgumentArity arity)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = arity };
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-')))
            {
                result.AddError($"unknown option {token.Value}.");
            }
        });
        return argument;
    }

    private static async Task<int> RunNotebooksAsync(List<string> notebooks, string? output, int cellTimeout, int notebookTimeout, string currentDirectory, TextWriter stdout)
    {
        var root = Kit.RepositoryRoot(currentDirectory);
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

        var runner = CreateRunner(notebooks, stdout, cellTimeout, notebookTimeout);
        var runs = new List<(string Path, NotebookRun? Run, string? Problem)>();
        foreach (var path in notebooks)
        {
            try
            {
                var run = await runner.RunAsync(NotebookDocument.Load(path), Path.GetDirectoryName(Path.GetFullPath(path))!);
                // Executed notebooks go to the artifacts/ folder of the kit copy they belong to, unless told otherwise.
                var folder = output ?? Path.Combine(Kit.RepositoryRoot(path), "artifacts", "notebooks");
                run.Executed.Save(Path.Combine(folder, Path.GetFileName(path)));
                runs.Add((path, run, null));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                stdout.WriteLine();
                runs.Add((path, null, e is CourseException ? e.Message : $"could not run it ({e.GetType().Name}: {e.Message})"));
            }
        }

        stdout.WriteLine();
        stdout.WriteLine("Summary");
        foreach (var (path, run, problem) in runs)
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

        var folders = runs.Where(r => r.Run is not null).Select(r => output ?? Path.Combine(Kit.RepositoryRoot(r.Path), "artifacts", "notebooks")).Distinct().ToList();
        if (folders.Count > 0)
        {
            stdout.WriteLine($"Executed notebooks written to {string.Join(", ", folders)}");
        }

        var ok = runs.All(r => r.Run is { Succeeded: true });
        stdout.WriteLine(ok ? $"All {runs.Count} notebook(s) passed." : $"{runs.Count(r => r.Run is not { Succeeded: true })} of {runs.Count} notebook(s) failed.");
        return ok ? 0 : 1;
    }

    private static readonly JsonSerializerOptions s_reportOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<int> GradeAsync(List<string> submissions, bool json, int timeout, string? reportPath, bool resume, string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        var progress = json ? stderr : stdout;
        var root = Kit.RepositoryRoot(currentDirectory);
        var done = resume && reportPath is not null ? ReadReport(reportPath) : [];
        var runner = CreateRunner([Path.Combine(root, "notebooks")], progress, Math.Min(120, timeout), timeout);
        var grader = new Grader(root, runner);
        progress.WriteLine($"Kernels run confined by {Confinement.Describe(grader.Confinement ?? Confinement.Best)}.");
        var grades = new List<SubmissionGrade>();
        foreach (var submission in submissions)
        {
            var sha = File.Exists(submission) ? KitImage.HashFile(submission) : null;
            var previous = done.FirstOrDefault(g => sha is not null && g.Sha256 == sha && g.Notebook == submission);
            if (previous is not null)
            {
                progress.WriteLine($"{Path.GetFileName(submission)}: graded before (same content), kept.");
                grades.Add(previous);
            }
            else
            {
                grades.Add(await grader.GradeAsync(submission) with { Sha256 = sha });
            }

            // Written after each submission (to a temporary file, then moved): killing the grader loses at most the one it was on.
            if (reportPath is not null)
            {
                var temporary = reportPath + ".tmp";
                await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(grades, s_reportOptions));
                File.Move(temporary, reportPath, overwrite: true);
            }
        }

        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(grades, s_reportOptions));
        }
        else
        {
            WriteTable(grades, stdout);
        }

        return grades.All(g => g.Problems.Count == 0 && g.Possible > 0) ? 0 : 1;
    }

    /// <summary>The grades of an earlier report (none when it is missing or unreadable: then everything is graded again).</summary>
    private static List<SubmissionGrade> ReadReport(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<List<SubmissionGrade>>(File.ReadAllText(path)) ?? [] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    internal static void WriteTable(IEnumerable<SubmissionGrade> grades, TextWriter stdout)
    {
        foreach (var grade in grades)
        {
            stdout.WriteLine();
            stdout.WriteLine($"{grade.Notebook} — lesson {grade.Lesson ?? "?"}: {grade.Earned}/{grade.Possible} points");
            foreach (var e in grade.Exercises)
            {
                stdout.WriteLine($"  {e.Id,-6} {e.Earned,2}/{e.Points,-2} {(e.Passed ? "passed" : "FAILED")}  {e.Message.Split('\n')[0]}");
            }

            foreach (var problem in grade.Problems)
            {
                stdout.WriteLine($"  ! {problem}");
            }
        }
    }

    /// <summary>Builds the kit of every repository the notebooks belong to, restores the engine, and makes a runner.</summary>
    private static NotebookRunner CreateRunner(IEnumerable<string> notebooks, TextWriter progress, int cellTimeout, int notebookTimeout)
    {
        var roots = notebooks.Select(Kit.RepositoryRoot).Distinct().ToList();
        foreach (var root in roots)
        {
            Kit.EnsureBuilt(root, progress);
        }

        var tool = Engine.ToolDll(roots[0], progress);
        return new NotebookRunner(tool, progress)
        {
            CellTimeout = TimeSpan.FromSeconds(cellTimeout),
            NotebookTimeout = TimeSpan.FromSeconds(notebookTimeout),
        };
    }
}
