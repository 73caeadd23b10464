using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using PuppeteerSharp;

namespace Backprop.LiveBenchmark;

/// <summary>
/// Builds the instructor version of the web book from the executed lessons (artifacts/notebooks/, written by the main job),
/// serves it with the course tool's <c>serve</c>, and measures in headless Chromium, for each lesson named by
/// <c>--lessons</c> (default 02 and 08): the time to <c>backpropBook.ready</c> and of the first cell, with a cold and
/// with a warm browser cache, and the time to run every cell of the lesson (the instructor version: every check passes).
/// Prints a table and the machine's load average (the machine may be shared).
/// </summary>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project lib/Backprop.Course -- run</c> once, then
/// <c>dotnet run -c Release --project tests/Backprop.LiveBenchmark [-- --lessons 02,08]</c>.
/// </remarks>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        string[] lessons = ["02", "08"];
        if (args is ["--lessons", var list])
        {
            lessons = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        else if (args.Length > 0)
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Backprop.LiveBenchmark [-- --lessons 02,08]");
            return 2;
        }

        var root = FindRoot(AppContext.BaseDirectory);
        var tool = Path.Combine(root, "lib", "Backprop.Course", "bin", "Release", "net10.0", "Backprop.Course.dll");
        if (!File.Exists(tool) || !Directory.Exists(Path.Combine(root, "artifacts", "notebooks")))
        {
            Console.Error.WriteLine("run the main job first (dotnet run -c Release --project lib/Backprop.Course -- run): it builds the tool and writes artifacts/notebooks/.");
            return 2;
        }

        var site = Directory.CreateTempSubdirectory("backprop-live-benchmark-").FullName;
        Process? server = null;
        try
        {
            Run(tool, root, "site", "--instructor", "--output", site);
            var port = FreePort();
            server = Process.Start(new ProcessStartInfo("dotnet", [tool, "serve", "--site", site, "--port", port.ToString(CultureInfo.InvariantCulture)])
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
            })!;
            await server.StandardOutput.ReadLineAsync();   // the URL line: serving
            var published = Directory.GetFiles(Path.Combine(site, "live"), "*", SearchOption.AllDirectories);
            var brotli = published.Where(f => f.EndsWith(".br", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"Live book benchmark: {Environment.ProcessorCount} cores, load average {LoadAverage()}; the runtime is {published.Where(f => !f.EndsWith(".br", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length) / 1e6:F1} MB, {brotli / 1e6:F1} MB as Brotli (what a browser that accepts br downloads)");
            var rows = new List<string> { "| lesson | ready (cold cache) | first cell (cold) | ready (warm cache) | first cell (warm) | every cell | longest cell | load average after |", "|---|---|---|---|---|---|---|---|" };
            await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu"],
                ProtocolTimeout = 1_800_000,
            });
            foreach (var lesson in lessons)
            {
                var page = Directory.GetFiles(site, $"{lesson}-*.html").Select(Path.GetFileName).Single();
                var url = $"http://127.0.0.1:{port}/{page}";
                await using var tab = await browser.NewPageAsync();
                var (coldReady, coldFirst, _) = await MeasureAsync(tab, url, allCells: false);
                var (warmReady, warmFirst, all) = await MeasureAsync(tab, url, allCells: true);
                rows.Add($"| {lesson} | {coldReady:F1} s | {coldFirst:F2} s | {warmReady:F1} s | {warmFirst:F2} s | {all.Total:F1} s ({all.Cells} cells) | {all.Longest:F1} s ({all.LongestId}) | {LoadAverage()} |");
                Console.WriteLine(rows[^1]);
            }

            Console.WriteLine();
            rows.ForEach(Console.WriteLine);
            return 0;
        }
        finally
        {
            server?.Kill(entireProcessTree: true);
            Directory.Delete(site, recursive: true);
        }
    }

    /// <summary>Opens the page, waits for ready, runs the first code cell and, when asked, every other one; seconds.</summary>
    private static async Task<(double Ready, double First, (double Total, int Cells, double Longest, string LongestId) All)> MeasureAsync(IPage tab, string url, bool allCells)
    {
        var clock = Stopwatch.StartNew();
        await tab.GoToAsync(url, WaitUntilNavigation.Load);
        await tab.EvaluateFunctionAsync("async () => { await window.backpropBook.ready; }");
        var ready = clock.Elapsed.TotalSeconds;
        var ids = await tab.EvaluateFunctionAsync<string[]>("() => window.backpropBook.cells().filter(c => c.kind !== 'setup').map(c => c.id)");
        var times = new List<(string Id, double Seconds)>();
        foreach (var id in allCells ? ids : ids.Take(1))
        {
            var started = clock.Elapsed.TotalSeconds;
            var ok = await tab.EvaluateFunctionAsync<bool>("id => window.backpropBook.run(id).then(r => r.ok)", id);
            times.Add((id, clock.Elapsed.TotalSeconds - started));
            if (!ok)
            {
                Console.Error.WriteLine($"{url}: {id} failed in the browser");
            }
        }

        var longest = times.MaxBy(t => t.Seconds);
        return (ready, times[0].Seconds, (times.Sum(t => t.Seconds), times.Count, longest.Seconds, longest.Id));
    }

    private static void Run(string tool, string root, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [tool, .. args]) { WorkingDirectory = root, RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {tool} {string.Join(' ', args)} exited with {process.ExitCode}");
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

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
}
