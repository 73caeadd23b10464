using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Backprop.Course;

/// <summary>
/// <c>dotnet run --project lib/Backprop.Course -- &lt;verb&gt; …</c>: run, release, grade.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Backprop.Course — the course tool of the Backprop.Notebooks kit.

          run [notebooks…] [--output DIR] [--cell-timeout SECONDS] [--timeout SECONDS]
              Executes notebooks (default: notebooks/*.ipynb) in the real .NET Interactive engine,
              cell by cell; writes the executed notebooks to DIR (default artifacts/notebooks/);
              prints a summary per notebook; exits 1 when any cell fails.
          release --output DIR [--force]
              Writes the student version of every notebook (solutions stubbed, hidden checks
              removed, outputs cleared) and the kit's libraries to DIR. Refuses a non-empty DIR
              unless --force.
          grade submission.ipynb… [--json] [--timeout SECONDS]
              Grades submissions with the instructor's check cells put back; prints a table, or
              JSON with --json. Exits 1 when a submission could not be fully graded.
        """;

    public static async Task<int> Main(string[] args)
    {
        // The engine connection captures Console.Out while a command runs: write to the raw streams.
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
        return await RunAsync(args, Directory.GetCurrentDirectory(), stdout, stderr);
    }

    public static async Task<int> RunAsync(string[] args, string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                stdout.WriteLine(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            var options = Options.Parse(args[1..], currentDirectory);
            return args[0] switch
            {
                "run" => await RunNotebooksAsync(options, currentDirectory, stdout),
                "release" => ReleaseNotebooks(options, currentDirectory, stdout),
                "grade" => await GradeAsync(options, currentDirectory, stdout, stderr),
                _ => throw new CourseException($"unknown verb '{args[0]}'.\n\n{Usage}"),
            };
        }
        catch (CourseException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private static async Task<int> RunNotebooksAsync(Options options, string currentDirectory, TextWriter stdout)
    {
        options.Allow("--output", "--cell-timeout", "--timeout");
        var root = Kit.RepositoryRoot(currentDirectory);
        var notebooks = options.Positional.Count > 0
            ? [.. options.Positional]
            : Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();
        if (notebooks.Count == 0)
        {
            throw new CourseException($"no notebooks found in {Path.Combine(root, "notebooks")}.");
        }

        foreach (var missing in notebooks.Where(n => !File.Exists(n)))
        {
            throw new CourseException($"{missing}: no such file.");
        }

        var output = options.Value("--output") is { } o ? Path.GetFullPath(o, currentDirectory) : null;
        var runner = CreateRunner(notebooks, stdout, options.Seconds("--cell-timeout", 120), options.Seconds("--timeout", 600));
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
            catch (CourseException e)
            {
                stdout.WriteLine();
                runs.Add((path, null, e.Message));
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

    private static int ReleaseNotebooks(Options options, string currentDirectory, TextWriter stdout)
    {
        options.Allow("--output", "--force");
        if (options.Positional.Count > 0)
        {
            throw new CourseException($"release takes no notebook arguments (it releases every notebook under notebooks/); got '{options.Positional[0]}'.");
        }

        var output = options.Value("--output") ?? throw new CourseException("release needs --output DIR.");
        var root = Kit.RepositoryRoot(currentDirectory);
        Release.Write(root, Path.GetFullPath(output, currentDirectory), options.Flag("--force"), stdout);
        return 0;
    }

    private static async Task<int> GradeAsync(Options options, string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        options.Allow("--json", "--timeout");
        if (options.Positional.Count == 0)
        {
            throw new CourseException("grade needs at least one submission (.ipynb file).");
        }

        var json = options.Flag("--json");
        var progress = json ? stderr : stdout;
        var root = Kit.RepositoryRoot(currentDirectory);
        var timeout = options.Seconds("--timeout", 300);
        var runner = CreateRunner([Path.Combine(root, "notebooks")], progress, Math.Min(120, timeout), timeout);
        var grader = new Grader(root, runner);
        var grades = new List<SubmissionGrade>();
        foreach (var submission in options.Positional)
        {
            grades.Add(await grader.GradeAsync(submission));
        }

        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(grades, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        else
        {
            WriteTable(grades, stdout);
        }

        return grades.All(g => g.Problems.Count == 0 && g.Possible > 0) ? 0 : 1;
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

    /// <summary>Command-line options: positional arguments, <c>--name value</c> pairs and flags.</summary>
    private sealed class Options
    {
        private static readonly HashSet<string> s_flags = ["--force", "--json"];
        private readonly Dictionary<string, string?> _named = new(StringComparer.Ordinal);

        public List<string> Positional { get; } = [];

        public static Options Parse(string[] args, string currentDirectory)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    if (s_flags.Contains(args[i]))
                    {
                        options._named[args[i]] = null;
                    }
                    else if (i + 1 < args.Length)
                    {
                        options._named[args[i]] = args[++i];
                    }
                    else
                    {
                        throw new CourseException($"{args[i]} needs a value.");
                    }
                }
                else
                {
                    options.Positional.Add(Path.GetFullPath(args[i], currentDirectory));
                }
            }

            return options;
        }

        public void Allow(params string[] names)
        {
            foreach (var name in _named.Keys.Where(n => !names.Contains(n)))
            {
                throw new CourseException($"unknown option {name} (this verb takes {string.Join(", ", names)}).");
            }
        }

        public bool Flag(string name) => _named.ContainsKey(name);

        public string? Value(string name) => _named.GetValueOrDefault(name);

        public int Seconds(string name, int fallback) => Value(name) is not { } text
            ? fallback
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? seconds
                : throw new CourseException($"{name} {text}: expected a whole number of seconds.");
    }
}
