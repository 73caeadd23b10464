using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Backprop.GradingBenchmark;

/// <summary>
/// Grades <c>--copies</c> (default 30) copies of each lesson named by <c>--lessons</c> (default 00 and 02; the instructor's
/// notebook, so a correct submission) with <c>grade FOLDER --jobs N</c> of the built course tool, one batch per lesson, and
/// prints for each the wall time, notebooks per minute and the load average before and after (the machine may be shared).
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project tests/Backprop.GradingBenchmark [-- --copies 30 --jobs 2 --lessons 00,02]</c>.
/// The baseline is the measurement before the pool: 30 lesson-00 copies one after another in 474 s (3.8 per minute).
/// </remarks>
internal static class Program
{
    private const double BaselineSeconds00 = 474;

    private static async Task<int> Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var copies = 30;
        var jobs = Environment.ProcessorCount;
        string[] lessons = ["00", "02"];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--copies" when i + 1 < args.Length && int.TryParse(args[i + 1], out var c) && c > 0:
                    copies = c;
                    i++;
                    break;
                case "--jobs" when i + 1 < args.Length && int.TryParse(args[i + 1], out var j) && j > 0:
                    jobs = j;
                    i++;
                    break;
                case "--lessons" when i + 1 < args.Length:
                    lessons = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                default:
                    Console.Error.WriteLine($"unknown or incomplete argument {args[i]}: use --copies N, --jobs N, --lessons 00,02");
                    return 2;
            }
        }

        var root = FindRoot(AppContext.BaseDirectory);
        var tool = Path.Combine(root, "lib", "Backprop.Course", "bin", "Release", "net10.0", "Backprop.Course.dll");
        if (!File.Exists(tool))
        {
            Console.Error.WriteLine($"{tool}: not built; run with -c Release.");
            return 2;
        }

        var scratch = Directory.CreateTempSubdirectory("backprop-grading-benchmark-").FullName;
        Console.WriteLine($"Grading benchmark: {copies} copies per lesson, --jobs {jobs}, {Environment.ProcessorCount} cores, load average before: {LoadAverage()}");
        var rows = new List<string>();
        try
        {
            foreach (var lesson in lessons)
            {
                var notebook = Directory.GetFiles(Path.Combine(root, "notebooks"), $"{lesson}-*.ipynb").SingleOrDefault();
                if (notebook is null)
                {
                    Console.Error.WriteLine($"no notebooks/{lesson}-*.ipynb");
                    return 2;
                }

                var folder = Path.Combine(scratch, $"lesson-{lesson}");
                Directory.CreateDirectory(folder);
                for (var k = 1; k <= copies; k++)
                {
                    File.Copy(notebook, Path.Combine(folder, $"student{k:D2}.ipynb"));
                }

                var report = Path.Combine(scratch, $"report-{lesson}.json");
                var loadBefore = LoadAverage();
                var clock = Stopwatch.StartNew();
                var exit = await RunAsync(root, "dotnet", tool, "grade", folder, "--jobs", jobs.ToString(CultureInfo.InvariantCulture), "--output", report, "--json");
                var seconds = clock.Elapsed.TotalSeconds;
                var grades = JsonNode.Parse(File.ReadAllText(report))!.AsArray();
                var full = grades.Count(g => g!["earned"]!.GetValue<int>() == g["possible"]!.GetValue<int>() && g["possible"]!.GetValue<int>() > 0);
                var perMinute = copies / seconds * 60;
                var line = $"lesson {lesson}: {copies} notebooks in {seconds:F1} s = {perMinute:F2} notebooks/min ({seconds / copies:F2} s each), --jobs {jobs}, {full}/{copies} full marks, exit {exit}, load average {loadBefore} -> {LoadAverage()}";
                if (lesson == "00")
                {
                    line += $"; vs the issue's {BaselineSeconds00:F0} s one by one: {BaselineSeconds00 / seconds:F2}x";
                }

                Console.WriteLine(line);
                rows.Add(line);
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        Console.WriteLine($"Summary ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC):");
        rows.ForEach(r => Console.WriteLine("  " + r));
        return 0;
    }

    private static string FindRoot(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "lib", "kit.props")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"{from}: not inside the kit's repository.");
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task<int> RunAsync(string workingDirectory, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = Task.Run(async () =>
        {
            // The grader's progress line, passed through so a long batch shows it is alive.
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                if (line.StartsWith('['))
                {
                    Console.Error.WriteLine("  " + line);
                }
            }
        });
        await process.WaitForExitAsync();
        await stdout;
        await stderr;
        return process.ExitCode;
    }
}
