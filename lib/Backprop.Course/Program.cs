using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backprop.Course;

/// <summary>
/// <c>dotnet run --project lib/Backprop.Course -- &lt;verb&gt; …</c>: run, release, grade, validate, export (apps,
/// gradescope, github-classroom), charts, site (System.CommandLine; <c>--help</c> on the tool and on every verb).
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
            stderr.WriteLine($"error: {ReportText.Clean(e.Message)}");
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
        var runJobs = AppRunner.JobsOption();
        var run = new Command("run", "Executes notebooks in the real .NET Interactive engine, cell by cell (or as apps, --engine app); prints a summary per notebook; exits 1 when any cell fails.")
        {
            notebooks, runOutput, cellTimeout, runTimeout, engine, runJobs,
        };
        run.SetAction((result, _) => result.GetValue(engine) == "app"
            ? AppRunner.RunAsync(
                [.. result.GetValue(notebooks)!.Select(n => Path.GetFullPath(n, currentDirectory))],
                result.GetValue(runOutput) is { } a ? Path.GetFullPath(a, currentDirectory) : null,
                result.GetValue(runTimeout), result.GetValue(runJobs) ?? 1, currentDirectory, stdout)
            : RunNotebooksAsync(
                [.. result.GetValue(notebooks)!.Select(n => Path.GetFullPath(n, currentDirectory))],
                result.GetValue(runOutput) is { } o ? Path.GetFullPath(o, currentDirectory) : null,
                result.GetValue(cellTimeout), result.GetValue(runTimeout), result.GetValue(runJobs) ?? Environment.ProcessorCount, currentDirectory, stdout));

        var releaseOutput = new Option<string>("--output") { Description = "Folder to write the release to (a folder of its own, outside the kit's repository).", HelpName = "DIR", Required = true };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty folder, overwriting the release files in it (other files stay; a notebook or app that differs from the release, such as a student's edited notebook, is kept as NAME.bak-<time> first)." };
        var release = new Command("release", "Writes the student version of every notebook (solutions stubbed, hidden checks removed, outputs cleared) and the kit's sources to DIR.")
        {
            releaseOutput, force,
        };
        release.SetAction(result =>
        {
            Release.Write(Kit.RepositoryRoot(currentDirectory), Path.GetFullPath(result.GetValue(releaseOutput)!, currentDirectory), result.GetValue(force), stdout);
            return 0;
        });

        var submissions = Paths("submissions", "The submitted .ipynb files, or folders of them (every .ipynb under a folder, any case; files and folders hidden by a leading dot are left out and listed).", ArgumentArity.OneOrMore);
        var json = new Option<bool>("--json") { Description = "Print the grades as JSON (progress goes to stderr)." };
        var gradeTimeout = Seconds("--timeout", "Time limit of one submission, in seconds.", 300);
        var gradeCellTimeout = Seconds("--cell-timeout", "Time limit of one cell, in seconds (default: 120, at most the submission's limit).", 120);
        var report = new Option<string?>("--output") { Description = "JSON report file, rewritten after each submission (so an interrupted batch keeps what is done).", HelpName = "FILE" };
        var resume = new Option<bool>("--resume") { Description = "With --output: keep the results already in FILE for submissions whose content (SHA-256), lesson checks, kit and grader are unchanged, and grade only the others." };
        var jobs = new Option<int>("--jobs")
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
        var lessons = new Option<string?>("--lessons") { Description = "The lesson notebooks whose setup and check cells grade the submissions (default: notebooks/ of the kit).", HelpName = "DIR" };
        var grade = new Command("grade", "Grades submissions with a pool of sandboxed kernels, each submission in a throwaway folder with the instructor's setup and check cells put back; prints a table, or JSON with --json; writes the gradebook, feedback and reports asked for; exits 1 when a submission could not be fully graded.")
        {
            submissions, json, gradeTimeout, gradeCellTimeout, report, resume, jobs, studentId, gradebook, feedback, gradescope, lessons, allowWeak,
        };
        grade.Validators.Add(result =>
        {
            if (result.GetValue(resume) && result.GetValue(report) is null)
            {
                result.AddError("--resume needs --output FILE (the report to resume).");
            }
        });
        string? Full(string? path) => path is null ? null : Path.GetFullPath(path, currentDirectory);
        grade.SetAction((result, _) => GradeAsync(new GradeRequest(
            [.. result.GetValue(submissions)!],
            result.GetValue(json), result.GetValue(gradeTimeout), result.GetValue(gradeCellTimeout), Full(result.GetValue(report)), result.GetValue(resume),
            result.GetValue(jobs), StudentIdRule.Parse(result.GetValue(studentId)!), Full(result.GetValue(gradebook)), Full(result.GetValue(feedback)),
            Full(result.GetValue(gradescope)), Full(result.GetValue(lessons)),
            result.GetValue(allowWeak) || Environment.GetEnvironmentVariable("BACKPROP_ALLOW_WEAK_CONFINEMENT") is "1" or "true"), currentDirectory, stdout, stderr));

        var notebook = new Argument<string>("notebook") { Description = "Your notebook (.ipynb): save it first, the file on disk is what runs." };
        var validateTimeout = Seconds("--timeout", "Time limit of the notebook, in seconds.", 300);
        var validate = new Command("validate", "Runs your notebook exactly as the grader does (same runner, same sandbox, your cells checked the same way) with the public checks only; says whether they all passed.")
        {
            notebook, validateTimeout,
        };
        validate.SetAction((result, _) => ValidateAsync(Path.GetFullPath(result.GetValue(notebook)!, currentDirectory), result.GetValue(validateTimeout), currentDirectory, stdout, stderr));

        var exportOutput = new Option<string>("--output") { Description = "Folder to write to (empty or new).", HelpName = "DIR", Required = true };
        var gradescopeExport = new Command("gradescope", "Writes a Gradescope autograder bundle (setup.sh, run_autograder, the kit and the instructor notebooks): zip the folder's contents and upload it.")
        {
            exportOutput,
        };
        gradescopeExport.SetAction(result =>
        {
            var written = Exports.Gradescope(Kit.RepositoryRoot(currentDirectory), Path.GetFullPath(result.GetValue(exportOutput)!, currentDirectory));
            stdout.WriteLine($"Gradescope autograder bundle written to {written} (zip its contents: setup.sh and run_autograder at the top).");
            return 0;
        });
        var classroomOutput = new Option<string>("--output") { Description = "The student template repository (a release) to add .github/workflows/classroom.yml to.", HelpName = "DIR", Required = true };
        var classroomExport = new Command("github-classroom", "Writes the GitHub Classroom workflow that grades each pushed notebook with the grade command (public checks of the release's untouched copy).")
        {
            classroomOutput,
        };
        classroomExport.SetAction(result =>
        {
            var written = Exports.GitHubClassroom(Path.GetFullPath(result.GetValue(classroomOutput)!, currentDirectory));
            stdout.WriteLine($"GitHub Classroom workflow written to {written}.");
            return 0;
        });
        var export = new Command("export", "Exports the lessons as C# file-based apps, and the grader to the graders courses already use: a Gradescope autograder bundle, a GitHub Classroom workflow.")
        {
            AppRunner.AppsCommand(currentDirectory, stdout), gradescopeExport, classroomExport,
        };

        var executed = Paths("executed", "Executed notebooks, or folders of them (default: artifacts/notebooks/*.ipynb, written by run).", ArgumentArity.ZeroOrMore);
        var chartsOutput = new Option<string?>("--output") { Description = "Folder for the pages and pictures (default: artifacts/charts/).", HelpName = "DIR" };
        var width = new Option<int>("--width") { Description = "Page width in CSS pixels, about a VS Code notebook output's.", HelpName = "PIXELS", DefaultValueFactory = _ => ChartPictures.DefaultWidth };
        var charts = new Command("charts", "Writes every chart of executed notebooks as an offline page and, with Chromium on the machine, a PNG to look at.")
        {
            executed, chartsOutput, width,
        };
        charts.SetAction(result =>
        {
            var root = Kit.RepositoryRoot(currentDirectory);
            var files = ExecutedNotebooks(root, result.GetValue(executed)!, currentDirectory);
            var output = result.GetValue(chartsOutput) is { } o ? Path.GetFullPath(o, currentDirectory) : Path.Combine(root, "artifacts", "charts");
            var pictures = ChartPictures.Write(files, output, Kit.OutputDirectory(root), result.GetValue(width), stdout);
            stdout.WriteLine($"{pictures.Count} chart(s) of {files.Count} notebook(s) written to {output}");
            return 0;
        });

        var siteExecuted = Paths("executed", "Executed notebooks, or folders of them (default: artifacts/notebooks/*.ipynb, written by run).", ArgumentArity.ZeroOrMore);
        var siteOutput = new Option<string?>("--output") { Description = "The site folder, replaced (default: artifacts/site/).", HelpName = "DIR" };
        var site = new Command("site", "Writes the executed lessons as an offline web book: index.html with the lesson map, one page per lesson (maths, highlighted code, outputs, charts, check results), its notebook and app.")
        {
            siteExecuted, siteOutput,
        };
        site.SetAction(result =>
        {
            var root = Kit.RepositoryRoot(currentDirectory);
            var files = ExecutedNotebooks(root, result.GetValue(siteExecuted)!, currentDirectory);
            var output = result.GetValue(siteOutput) is { } o ? Path.GetFullPath(o, currentDirectory) : Path.Combine(root, "artifacts", "site");
            Site.Write(files, output, root, stdout);
            return 0;
        });

        return new RootCommand("Backprop.Course — the course tool of the Backprop.Notebooks kit: run, release, grade, validate, export, charts, site.") { run, release, grade, validate, export, charts, site };
    }

    /// <summary>
    /// The executed notebooks a verb reads: those <paramref name="named"/> (a folder stands for the .ipynb files in it),
    /// or else artifacts/notebooks/*.ipynb (written by run).
    /// </summary>
    private static List<string> ExecutedNotebooks(string root, string[] named, string currentDirectory)
    {
        var files = new List<string>();
        foreach (var path in named.Select(n => Path.GetFullPath(n, currentDirectory)))
        {
            if (!Directory.Exists(path))
            {
                files.Add(path);
                continue;
            }

            var inFolder = Directory.GetFiles(path, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            if (inFolder.Count == 0)
            {
                throw new CourseException($"{path}: the folder holds no .ipynb files.");
            }

            files.AddRange(inFolder);
        }

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

        return files;
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

    private static async Task<int> RunNotebooksAsync(List<string> notebooks, string? output, int cellTimeout, int notebookTimeout, int jobs, string currentDirectory, TextWriter stdout)
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
        var runner = CreateRunner(notebooks, stdout, cellTimeout, notebookTimeout, quiet: jobs > 1);
        if (jobs > 1)
        {
            stdout.WriteLine($"Running {notebooks.Count} notebook(s) in the real engine, {jobs} kernels at a time …");
        }

        var progress = new RunProgress(notebooks.Count, stdout);
        // The apps (Roslyn, in this process) are exported while the kernels run; only those older than their notebook.
        // The student apps are the web book's (a published book must not hold the solutions).
        var apps = mainJob
            ? Task.Run(() => (Lecturer: AppRunner.ExportStale(root, notebooks, student: false), Student: AppRunner.ExportStale(root, notebooks, student: true)))
            : Task.FromResult((Lecturer: 0, Student: 0));
        var runs = await ClassGrading.PoolAsync(notebooks.Count, jobs, async i =>
        {
            var path = notebooks[i];
            var clock = Stopwatch.StartNew();
            try
            {
                var run = await runner.RunAsync(NotebookDocument.Load(path), Path.GetDirectoryName(Path.GetFullPath(path))!);
                // Executed notebooks go to the artifacts/ folder of the kit copy they belong to, unless told otherwise.
                var folder = output ?? Path.Combine(Kit.RepositoryRoot(path), "artifacts", "notebooks");
                run.Executed.Save(Path.Combine(folder, Path.GetFileName(path)));
                return (Path: path, Run: (NotebookRun?)run, Problem: (string?)null, clock.Elapsed);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return (Path: path, Run: null, Problem: e is CourseException ? e.Message : $"could not run it ({e.GetType().Name}: {e.Message})", clock.Elapsed);
            }
        }, (_, r) =>
        {
            if (jobs > 1)
            {
                progress.Report(Path.GetFileName(r.Path), r.Run, r.Problem, r.Elapsed);
            }
            else if (r.Run is null)
            {
                stdout.WriteLine();
            }
        });

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

        var folders = runs.Where(r => r.Run is not null).Select(r => output ?? Path.Combine(Kit.RepositoryRoot(r.Path), "artifacts", "notebooks")).Distinct().ToList();
        if (folders.Count > 0)
        {
            stdout.WriteLine($"Executed notebooks written to {string.Join(", ", folders)}");
        }

        if (mainJob)
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
            var site = Path.Combine(root, "artifacts", "site");
            if (executedFiles.Count > 0)
            {
                var pages = Site.Write(executedFiles, site, root, TextWriter.Null);
                stdout.WriteLine();
                stdout.WriteLine("Where everything is");
                stdout.WriteLine($"  executed notebooks  {Path.Combine(root, "artifacts", "notebooks")}{Path.DirectorySeparatorChar}  (open them in VS Code: every output in place)");
                stdout.WriteLine($"  lesson apps         {AppRunner.DefaultFolder(root, student: false)}{Path.DirectorySeparatorChar}  ({appsState}; from there: dotnet run 02-backpropagation.cs)");
                stdout.WriteLine($"  web book            {Path.Combine(site, "index.html")}  ({pages.Count} lesson page(s), offline; publish the folder as it is)");
            }
        }

        var ok = runs.All(r => r.Run is { Succeeded: true });
        stdout.WriteLine(ok ? $"All {runs.Length} notebook(s) passed." : $"{runs.Count(r => r.Run is not { Succeeded: true })} of {runs.Length} notebook(s) failed.");
        return ok ? 0 : 1;
    }

    private static readonly JsonSerializerOptions s_reportOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What the grade verb was asked: the paths, the outputs and how to grade.</summary>
    private sealed record GradeRequest(List<string> Paths, bool Json, int Timeout, int CellTimeout, string? Report, bool Resume, int Jobs, StudentIdRule StudentId,
        string? Gradebook, string? Feedback, string? Gradescope, string? Lessons, bool AllowWeakConfinement);

    /// <summary>The exit code of <c>grade</c> stopped by Ctrl-C (128 + SIGINT, as a shell reports it).</summary>
    internal const int Interrupted = 130;

    private static async Task<int> GradeAsync(GradeRequest request, string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        var progress = request.Json ? stderr : stdout;
        var root = Kit.RepositoryRoot(currentDirectory);
        // Submissions are hostile code: without bubblewrap they could read the hidden checks and change the lecturer's files.
        if (Confinement.Refusal(Confinement.Best, request.AllowWeakConfinement) is { } refusal)
        {
            throw new CourseException(refusal);
        }

        var found = ClassGrading.Find(request.Paths.Select(p => Path.GetFullPath(p, currentDirectory)), request.StudentId);
        var items = found.Submissions;
        if (found.HiddenLine is { } hidden)
        {
            stderr.WriteLine(hidden);
        }

        if (!UnicodeForms.Available && items.Any(i => !Ascii.IsValid(i.StudentId)))
        {
            stderr.WriteLine("warning: no ICU library was found, so student ids are compared as they are written (\"café\" typed two ways is two students); install libicu to have them normalised.");
        }

        // Ids that differ only by case, width or Unicode form: most likely one student named two ways. Said, and kept with each grade.
        var warnings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var group in ClassGrading.NearDuplicates(items.Select(i => i.StudentId)))
        {
            var warning = ClassGrading.NearDuplicateWarning(group);
            stderr.WriteLine($"warning: {warning}");
            foreach (var id in group)
            {
                (warnings.TryGetValue(id, out var list) ? list : warnings[id] = []).Add(warning);
            }
        }

        var previous = request.Resume && request.Report is not null ? ReadReport(request.Report) : [];
        // The kit is built (once, under its lock) and read before the first kernel starts; the pool never builds.
        var runner = CreateRunner([Path.Combine(root, "notebooks")], progress, Math.Min(request.CellTimeout, request.Timeout), request.Timeout, quiet: request.Jobs > 1 && items.Count > 1);
        var grader = new Grader(root, runner, request.Lessons);
        var key = new GradingKey(request.Lessons ?? Path.Combine(root, "notebooks"), grader.KitImage);
        progress.WriteLine($"Kernels run confined by {Confinement.Describe(grader.Confinement ?? Confinement.Best)}.");
        var jobs = Math.Min(request.Jobs, items.Count);
        stderr.WriteLine($"Grading {items.Count} submission(s), {jobs} at a time.");

        // Ctrl-C (or a SIGTERM from a CI runner) stops taking submissions; those in progress finish and every report is
        // written for what is done. A second Ctrl-C stops at once, as usual.
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
                stderr.WriteLine("Stopping: the submission(s) in progress finish, then every report is written for what is done (Ctrl-C again stops at once).");
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var line = new ClassGrading.Progress(items.Count, stderr);
        var finished = new GradedSubmission?[items.Count];
        var kept = new bool[items.Count];
        var earlier = items.Select(i => previous.LastOrDefault(p => p.Grade.Notebook == ReportText.OneLine(i.Path))).ToArray();
        IReadOnlyList<string>? WarningsOf(Submission item) => warnings.TryGetValue(item.StudentId, out var list) ? list : null;

        // What is graded so far, and the earlier results of the rest: an interrupted batch loses nothing it had.
        void SaveReport()
        {
            if (request.Report is not null)
            {
                WriteReport(request.Report, [.. finished.Select((f, j) => f ?? earlier[j]).OfType<GradedSubmission>()]);
            }
        }
        await ClassGrading.PoolAsync(items.Count, jobs, async i =>
        {
            var item = items[i];
            // Read as the grader reads it (regular files only, size-limited): hashing a pipe would wait for ever.
            string? sha;
            try
            {
                sha = KitImage.Hash(NotebookFile.Read(item.Path, NotebookDocument.MaxFileBytes));
            }
            catch (Exception e) when (e is CourseException or IOException or UnauthorizedAccessException)
            {
                sha = null;
            }

            // Kept only when the file, the lesson's check cells, the kit and the tool are all what graded it.
            if (earlier[i] is { } before && sha is not null && before.Grade.Sha256 == sha && before.Grade.GradedWith == key.For(before.Grade.Lesson))
            {
                return (Kept: true, Graded: before with { Grade = before.Grade with { Student = item.StudentId, Warnings = WarningsOf(item) } });
            }

            var graded = await grader.GradeWithOutputsAsync(item.Path);
            graded = graded with { Grade = graded.Grade with { Sha256 = sha, Student = item.StudentId, GradedWith = key.For(graded.Grade.Lesson), Warnings = WarningsOf(item) } };
            return (Kept: false, Graded: graded.Cleaned());
        }, (i, result) =>
        {
            if (result.Kept)
            {
                progress.WriteLine($"{ReportText.OneLine(Path.GetFileName(items[i].Path), 200)}: graded before (same content), kept — its lesson's checks, the kit and the grader are unchanged.");
            }

            finished[i] = result.Graded;
            kept[i] = result.Kept;
            line.Report(result.Graded.Grade, items[i].StudentId, result.Kept);
            // Written after each submission (to a temporary file, then moved): killing the grader loses at most the ones it was on.
            SaveReport();
        }, stop.Token);

        var done = Enumerable.Range(0, items.Count).Where(i => finished[i] is not null).ToList();
        var graded = done.Select(i => (Submission: items[i], Graded: finished[i]!)).ToList();
        var grades = graded.Select(g => g.Graded.Grade).ToList();
        SaveReport();
        if (request.Gradebook is not null)
        {
            ClassGrading.WriteGradebook(request.Gradebook, [.. graded.Select(g => (g.Submission, g.Graded.Grade))]);
            progress.WriteLine($"Gradebook written to {request.Gradebook}");
        }

        if (request.Feedback is not null)
        {
            // Kept results too: the report keeps what a feedback page shows (the outputs of the student's cells).
            var pages = ClassGrading.WriteFeedback(request.Feedback, graded, grader.HiddenCheckLines());
            progress.WriteLine($"{pages.Count} feedback page(s) written to {request.Feedback}{(done.Any(i => kept[i]) ? $" ({done.Count(i => kept[i])} of them for results kept by --resume)" : "")}");
        }

        if (request.Gradescope is not null)
        {
            Exports.WriteGradescopeResults(request.Gradescope, [.. graded.Select(g => g.Graded)]);
        }

        if (request.Json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(grades, s_reportOptions));
        }
        else
        {
            WriteTable(grades, stdout);
        }

        if (stop.IsCancellationRequested && done.Count < items.Count)
        {
            stderr.WriteLine($"Stopped: {items.Count - done.Count} of {items.Count} submission(s) not graded; every report written holds the {done.Count} graded."
                + (request.Report is not null ? " To grade only the rest: the same command with --resume." : " Next time add --output FILE, then --resume grades only the rest."));
            return Interrupted;
        }

        return grades.All(g => g.Problems.Count == 0 && g.Possible > 0) ? 0 : 1;
    }

    /// <summary>The JSON report: each grade, and what its feedback page shows besides (<c>cells</c>: the outputs of the student's cells; <c>exercises_with_hidden_checks</c>), so a result kept by --resume gets its page too.</summary>
    private static void WriteReport(string path, IReadOnlyList<GradedSubmission> graded)
    {
        var report = new JsonArray();
        foreach (var result in graded)
        {
            var entry = JsonSerializer.SerializeToNode(result.Grade, s_reportOptions)!.AsObject();
            entry["cells"] = JsonSerializer.SerializeToNode(result.Cells, s_reportOptions);
            entry["exercises_with_hidden_checks"] = JsonSerializer.SerializeToNode(result.ExercisesWithHiddenChecks.Order(StringComparer.Ordinal).ToList(), s_reportOptions);
            report.Add(entry);
        }

        ClassGrading.WriteAtomically(path, report.ToJsonString(s_reportOptions));
    }

    /// <summary>The student-side check: the grader's runner, sandbox and cell check, the public checks only.</summary>
    private static async Task<int> ValidateAsync(string notebook, int timeout, string currentDirectory, TextWriter stdout, TextWriter stderr)
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
        var pristine = Path.Combine(root, Release.ChecksFolder);
        var runner = CreateRunner([Path.Combine(root, "notebooks")], stderr, Math.Min(120, timeout), timeout, quiet: false);
        var grader = new Grader(root, runner, Directory.Exists(pristine) ? pristine : null) { PublicChecksOnly = true };
        var grade = (await grader.GradeAsync(notebook)).Cleaned();
        stdout.WriteLine();
        stdout.WriteLine(ValidationReport(grade));
        return grade.Problems.Count == 0 && grade.Possible > 0 && grade.Exercises.All(e => e.Passed) ? 0 : 1;
    }

    /// <summary>What validate prints: the one line when every public check passed, else each failed check and each problem.</summary>
    internal static string ValidationReport(SubmissionGrade grade)
    {
        if (grade.Problems.Count == 0 && grade.Possible > 0 && grade.Exercises.All(e => e.Passed))
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

    /// <summary>The results of an earlier report (none when it is missing or unreadable: then everything is graded again).</summary>
    private static List<GradedSubmission> ReadReport(string path)
    {
        try
        {
            if (!File.Exists(path) || JsonNode.Parse(File.ReadAllText(path)) is not JsonArray entries)
            {
                return [];
            }

            return
            [
                .. entries.OfType<JsonObject>().Select(e => new GradedSubmission(
                    e.Deserialize<SubmissionGrade>()!,
                    e["cells"]?.Deserialize<List<StudentCell>>() ?? [],
                    e["exercises_with_hidden_checks"]?.Deserialize<List<string>>() ?? [])),
            ];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentNullException)
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
    private static NotebookRunner CreateRunner(IEnumerable<string> notebooks, TextWriter progress, int cellTimeout, int notebookTimeout, bool quiet = false)
    {
        var roots = notebooks.Select(Kit.RepositoryRoot).Distinct().ToList();
        foreach (var root in roots)
        {
            Kit.EnsureBuilt(root, progress);
        }

        var tool = Engine.ToolDll(roots[0], progress);
        // Several kernels at once would interleave the per-cell characters: the pool shows one progress line per submission instead.
        return new NotebookRunner(tool, quiet ? TextWriter.Null : progress)
        {
            CellTimeout = TimeSpan.FromSeconds(cellTimeout),
            NotebookTimeout = TimeSpan.FromSeconds(notebookTimeout),
        };
    }
}
