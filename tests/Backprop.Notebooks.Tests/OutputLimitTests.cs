using System.Diagnostics;
using System.Text.Json.Nodes;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// What a graded cell prints is capped (issue 23, item 6): a cell that prints 30,000 characters shows the first 20,000 and a
/// note of how many more there were; a cell that prints 500 MB in a loop is stopped after 2,000,000 characters, shows its
/// first 20,000 and says so, and the grader's own memory stays bounded while it happens.
/// </summary>
[Collection("grader")]
public sealed class OutputLimitTests
{
    private const string Lesson00 = "00-start-here.ipynb";

    /// <summary>The bound on the grader process's peak resident memory (VmHWM): 2 GB (BatchSafetyTests measures about 0.4 GB for a batch).</summary>
    private const long PeakMemoryBound = 2L * 1024 * 1024 * 1024;

    [Fact]
    public async Task A_cell_printing_500_MB_is_stopped_with_bounded_memory_and_the_capped_output_and_note_are_in_report_and_feedback()
    {
        var kit = EngineFixture.Shared;
        var work = Directory.CreateDirectory(Path.Combine(kit.Scratch, "output-limit")).FullName;
        var folder = Directory.CreateDirectory(Path.Combine(work, "submissions")).FullName;
        var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, Lesson00));
        var cells = instructor.Cells.Select(c => c.Copy()).ToList();
        var exercise = cells.FindIndex(c => c.Marker is { Kind: MarkerKind.Exercise, Id: "00.1" });
        // A cell the policy allows (System.String, Console.Write, a loop): 30 lines of 1,000 characters, then 500 lines of 1 MB.
        var chatty = cells[exercise].Copy();
        chatty.Source = "for (var i = 0; i < 30; i++) Console.Write(new string('y', 999) + \"\\n\");";
        cells[exercise].Source = "// EXERCISE 00.1 (1 point)\nVector<double> WithBias(Vector<double> x) => Vector<double>.Build.Dense(x.Count + 1, i => i == 0 ? 1.0 : x[i - 1]);\n"
            + "var line = new string('x', 1_048_575) + \"\\n\";\nfor (var i = 0; i < 500; i++) Console.Write(line);";
        cells.Insert(exercise, chatty);
        instructor.WithCells(cells, "flood.ipynb").Save(Path.Combine(folder, "flood.ipynb"));
        var report = Path.Combine(work, "report.json");

        var run = await RunToolAsync(["grade", folder, "--jobs", "1", "--output", report, "--feedback", Path.Combine(work, "feedback")], TimeSpan.FromMinutes(8));

        Console.WriteLine($"grader peak resident memory (VmHWM) while a cell printed 500 MB: {run.PeakBytes / (1024 * 1024)} MB");
        Assert.True(run.Exit is 0 or 1, $"exit {run.Exit}\n{run.Stdout}\n{run.Stderr}");
        Assert.True(run.PeakBytes is > 0 and < PeakMemoryBound, $"the grader's peak resident memory was {run.PeakBytes / (1024 * 1024)} MB");
        var grade = JsonNode.Parse(File.ReadAllText(report))!.AsArray().Single()!;
        var outputs = grade["cells"]!.AsArray().SelectMany(c => c!["outputs"]!.AsArray().Select(o => o!.GetValue<string>())).ToList();
        var problems = string.Join("\n", grade["problems"]!.AsArray().Select(p => p!.GetValue<string>()));
        // The chatty cell: 20,000 characters shown, then the note with the 10,000 cut (30 × 1,000 in all).
        Assert.Equal(20_000, outputs.Where(o => o.StartsWith('y')).Sum(o => o.Length));
        Assert.Contains("… [10,000 more characters of this cell's output not shown: a graded cell shows at most 20,000]", outputs);
        // The flooding cell: its first 20,000 characters and the note that it was stopped.
        var flood = Assert.Single(outputs, o => o.StartsWith('x'));
        Assert.Equal(20_000, flood.Length);
        Assert.Contains("output stopped: the cell printed more than 2,000,000 characters", problems + string.Join("\n", outputs), StringComparison.Ordinal);
        Assert.True(new FileInfo(report).Length < 1_000_000, $"report.json is {new FileInfo(report).Length} bytes");
        var page = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(work, "feedback"))));
        Assert.Contains("output stopped: the cell printed more than 2,000,000 characters", page, StringComparison.Ordinal);
        Assert.Contains("10,000 more characters of this cell&#39;s output not shown", page, StringComparison.Ordinal);
        Assert.Contains(new string('x', 20_000), page, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 20_001), page, StringComparison.Ordinal);
        Assert.True(page.Length < 1_000_000, $"the feedback page is {page.Length} characters");
    }

    private sealed record ToolRun(int Exit, string Stdout, string Stderr, long PeakBytes);

    /// <summary>Runs the built course tool in its own process (as a lecturer does), reading its peak resident memory (VmHWM) until it exits.</summary>
    private static async Task<ToolRun> RunToolAsync(string[] args, TimeSpan limit)
    {
        var root = EngineFixture.Shared.Root;
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        start.ArgumentList.Add(Path.Combine(root, "lib", "Backprop.Course", "bin", here.Parent!.Name, here.Name, "Backprop.Course.dll"));
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        var clock = Stopwatch.StartNew();
        while (!process.HasExited)
        {
            peak = Math.Max(peak, BatchSafetyTests.HighWaterMark(process.Id));
            if (clock.Elapsed > limit)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"the course tool ran past {limit}");
            }

            await Task.Delay(50);
        }

        await process.WaitForExitAsync();
        return new ToolRun(process.ExitCode, await stdout, await stderr, peak);
    }
}
