using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Backprop.Course;
using Backprop.Course.Cli;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The grader stays up whatever a folder of submissions holds (issue 18, items 4, 5 and 9): a FIFO, a link to /dev/zero,
/// a 300 MB notebook and one of 3,000 cells are each a named problem of their own submission while the rest of the batch
/// is graded, with the grader's own memory under a stated bound; Ctrl-C stops after the submission in progress with every
/// report written; --resume regrades when a lesson's checks change and writes feedback for what it keeps.
/// </summary>
[Collection("grader")]
public sealed class BatchSafetyTests
{
    private const string Lesson01 = "01-forward-propagation.ipynb";

    /// <summary>
    /// The bound on the grader process's peak resident memory (VmHWM) while it grades the folder below: 1 GB. Measured on
    /// the 2-core machine of this repository: about 0.4 GB (the course tool with Roslyn for the cell check and two kernels'
    /// connections: 384 MB in one run); before the limits, 600 empty cells alone took 1.4 GB and 3,000 drove the grader to 23.9 GB.
    /// </summary>
    private const long PeakMemoryBound = 1024L * 1024 * 1024;

    private sealed record ToolRun(int Exit, string Stdout, string Stderr, long PeakBytes);

    [Fact]
    public async Task A_fifo_a_link_to_dev_zero_a_300_MB_notebook_and_3000_cells_are_named_problems_and_the_correct_ones_get_full_marks()
    {
        var kit = EngineFixture.Shared;
        var work = Directory.CreateDirectory(Path.Combine(kit.Scratch, "bad-files")).FullName;
        var folder = Directory.CreateDirectory(Path.Combine(work, "submissions")).FullName;
        try
        {
            File.Copy(Path.Combine(kit.NotebooksFolder, Lesson01), Path.Combine(folder, "good-1.ipynb"), overwrite: true);
            File.Copy(Path.Combine(kit.NotebooksFolder, Lesson01), Path.Combine(folder, "good-2.ipynb"), overwrite: true);
            MakeFifo(Path.Combine(folder, "a.ipynb"));
            File.CreateSymbolicLink(Path.Combine(folder, "b.ipynb"), "/dev/zero");
            WriteHugeNotebook(Path.Combine(folder, "c.ipynb"), 300L * 1024 * 1024);
            File.WriteAllText(Path.Combine(folder, "d.ipynb"), NotebookOfEmptyCells(3000));
            var report = Path.Combine(work, "report.json");

            var run = await RunToolAsync(["grade", folder, "--jobs", "2", "--output", report, "--gradebook", Path.Combine(work, "gradebook.csv"), "--feedback", Path.Combine(work, "feedback")], TimeSpan.FromMinutes(8));

            Assert.True(run.Exit == 1, $"exit {run.Exit}\n{run.Stdout}\n{run.Stderr}");
            var grades = JsonNode.Parse(File.ReadAllText(report))!.AsArray().ToDictionary(g => g!["student"]!.GetValue<string>(), g => g!);
            Assert.Equal(["a", "b", "c", "d", "good-1", "good-2"], grades.Keys.Order(StringComparer.Ordinal));
            foreach (var good in new[] { "good-1", "good-2" })
            {
                Assert.True(grades[good]["possible"]!.GetValue<int>() > 0);
                Assert.Equal(grades[good]["possible"]!.GetValue<int>(), grades[good]["earned"]!.GetValue<int>());
                Assert.Empty(grades[good]["problems"]!.AsArray());
            }

            foreach (var (student, problem) in new[]
            {
                ("a", "a.ipynb: not a regular file but a FIFO (named pipe); only regular files are read (it was not opened)."),
                ("b", "b.ipynb: not a regular file but a character device (a link to /dev/zero)"),
                ("c", "c.ipynb: 300 MB, over the limit of 20 MB for a notebook; it was not read."),
                ("d", "d.ipynb: too many cells — more than 1,000, over the limit of 1,000 for a notebook"),
            })
            {
                Assert.Equal(0, grades[student]["earned"]!.GetValue<int>());
                Assert.StartsWith(problem, Assert.Single(grades[student]["problems"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
                Assert.Contains(problem, run.Stdout, StringComparison.Ordinal);   // the table
            }

            var rows = File.ReadAllLines(Path.Combine(work, "gradebook.csv"));
            Assert.Equal(7, rows.Length);
            Assert.EndsWith(",0", rows.Single(r => r.StartsWith("c,", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Equal(6, Directory.GetFiles(Path.Combine(work, "feedback")).Length);
            Assert.True(run.PeakBytes is > 0 and < PeakMemoryBound, $"the grader's peak resident memory was {run.PeakBytes / (1024 * 1024)} MB (bound {PeakMemoryBound / (1024 * 1024)} MB)");
            Console.WriteLine($"grader peak resident memory (VmHWM): {run.PeakBytes / (1024 * 1024)} MB");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Ctrl_C_stops_after_the_submission_in_progress_writes_every_report_for_it_and_exits_130()
    {
        var kit = EngineFixture.Shared;
        var work = Directory.CreateDirectory(Path.Combine(kit.Scratch, "interrupted")).FullName;
        var folder = Directory.CreateDirectory(Path.Combine(work, "submissions")).FullName;
        try
        {
            foreach (var name in new[] { "ann", "ben", "cat" })
            {
                File.Copy(Path.Combine(kit.NotebooksFolder, Lesson01), Path.Combine(folder, $"{name}.ipynb"), overwrite: true);
            }

            var report = Path.Combine(work, "report.json");
            string[] args = ["grade", folder, "--jobs", "1", "--output", report, "--gradebook", Path.Combine(work, "gradebook.csv"), "--feedback", Path.Combine(work, "feedback")];

            // SIGINT as soon as the first submission is being graded (the line that says the pool starts).
            var run = await RunToolAsync(args, TimeSpan.FromMinutes(5), interruptWhen: stderr => stderr.Contains("Grading 3 submission(s), 1 at a time.", StringComparison.Ordinal));

            Assert.True(run.Exit == ClassGrading.Interrupted, $"exit {run.Exit}\n{run.Stdout}\n{run.Stderr}");
            Assert.Contains("Stopping: the submission(s) in progress finish", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("Stopped: 2 of 3 submission(s) not graded; every report written holds the 1 graded. To grade only the rest: the same command with --resume.", run.Stderr, StringComparison.Ordinal);
            var graded = Assert.Single(JsonNode.Parse(File.ReadAllText(report))!.AsArray())!;
            Assert.Equal("ann", graded["student"]!.GetValue<string>());
            Assert.Equal(graded["possible"]!.GetValue<int>(), graded["earned"]!.GetValue<int>());
            Assert.Equal(2, File.ReadAllLines(Path.Combine(work, "gradebook.csv")).Length);
            Assert.Single(Directory.GetFiles(Path.Combine(work, "feedback")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// A report whose result for a lesson-01 submission is forged (9 of 9 points): with the grading key of the same lessons,
    /// kit and tool it is kept (and its feedback page is written from the report); once a check cell of lesson 01
    /// changes (a copy of the lessons given with --lessons), it is graded again. The time limits are 1 s, so the regrade is
    /// quick (the kernel does not start in time: a problem, 0 points — not the forged 9).
    /// </summary>
    [Fact]
    public async Task Resume_keeps_a_result_only_while_the_lessons_checks_are_unchanged_and_writes_feedback_for_what_it_keeps()
    {
        var kit = EngineFixture.Shared;
        var work = Directory.CreateDirectory(Path.Combine(kit.Scratch, "resume-key")).FullName;
        try
        {
            var submission = Path.Combine(work, "zoe.ipynb");
            File.Copy(Path.Combine(kit.NotebooksFolder, Lesson01), submission, overwrite: true);
            var lessons = Directory.CreateDirectory(Path.Combine(work, "lessons")).FullName;
            foreach (var instructor in kit.InstructorNotebooks)
            {
                File.Copy(instructor, Path.Combine(lessons, Path.GetFileName(instructor)), overwrite: true);
            }

            var key = new GradingKey(lessons, KitImage.Read(Course.Kit.OutputDirectory(kit.Root)));
            var report = Path.Combine(work, "report.json");
            File.WriteAllText(report, new JsonArray(new JsonObject
            {
                ["notebook"] = submission, ["lesson"] = "01", ["exercises"] = new JsonArray(), ["earned"] = 9, ["possible"] = 9, ["problems"] = new JsonArray(),
                ["sha256"] = KitImage.HashFile(submission), ["student"] = "zoe", ["graded_with"] = key.For("01"),
                ["cells"] = new JsonArray(new JsonObject { ["cell"] = 3, ["exercise"] = "01.2", ["outputs"] = new JsonArray("kept output 42"), ["problem"] = null }),
                ["exercises_with_hidden_checks"] = new JsonArray(),
            }).ToJsonString());
            string[] Args(string feedback) => ["grade", submission, "--lessons", lessons, "--timeout", "1", "--cell-timeout", "1", "--output", report, "--resume", "--feedback", Path.Combine(work, feedback)];

            var stdout = new StringWriter();
            Assert.Equal(0, await Program.RunAsync(Args("feedback-kept"), kit.Root, stdout, TextWriter.Null));

            Assert.Contains("zoe.ipynb: graded before (same content), kept", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains("kept output 42", File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(work, "feedback-kept")))), StringComparison.Ordinal);
            Assert.Equal(9, JsonNode.Parse(File.ReadAllText(report))![0]!["earned"]!.GetValue<int>());

            // The lecturer adds a hidden check to lesson 01.
            var lesson = Path.Combine(lessons, Lesson01);
            var notebook = NotebookDocument.Load(lesson);
            var check = notebook.Cells.First(c => c.Marker?.Kind == MarkerKind.Check);
            check.Source += "\n// a new hidden check\n";
            notebook.Save(lesson);
            Assert.NotEqual(key.For("01"), new GradingKey(lessons, KitImage.Read(Course.Kit.OutputDirectory(kit.Root))).For("01"));
            Assert.Equal(key.For("00"), new GradingKey(lessons, KitImage.Read(Course.Kit.OutputDirectory(kit.Root))).For("00"));
            stdout = new StringWriter();

            await Program.RunAsync(Args("feedback-regraded"), kit.Root, stdout, TextWriter.Null);

            Assert.DoesNotContain("graded before", stdout.ToString(), StringComparison.Ordinal);
            var regraded = JsonNode.Parse(File.ReadAllText(report))![0]!;
            Assert.Equal(0, regraded["earned"]!.GetValue<int>());
            Assert.NotEqual(key.For("01"), regraded["graded_with"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Runs the built course tool as a lecturer does (its own process), reading its peak resident memory (VmHWM) until it exits; <paramref name="interruptWhen"/> sends it one SIGINT.</summary>
    private static async Task<ToolRun> RunToolAsync(string[] args, TimeSpan limit, Func<string, bool>? interruptWhen = null)
    {
        var root = EngineFixture.Shared.Root;
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tool = Path.Combine(root, "lib", "Backprop.Course", "bin", here.Parent!.Name, here.Name, "Backprop.Course.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = root };
        start.ArgumentList.Add(tool);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) { stdout.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long peak = 0;
        var interrupted = interruptWhen is null;
        var clock = Stopwatch.StartNew();
        while (!process.HasExited)
        {
            // VmHWM is the high-water mark: the last reading before the exit is the peak (minus at most the last 50 ms).
            peak = Math.Max(peak, HighWaterMark(process.Id));
            if (!interrupted && interruptWhen!(Locked(stderr)))
            {
                interrupted = true;
                // A process started from a shell's background job inherits SIGINT ignored (so does the tool, whatever it registers):
                // there the test sends SIGTERM, which the tool handles the same way as a Ctrl-C.
                using var kill = Process.Start("kill", [SigIntIgnored() ? "-TERM" : "-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }

            if (clock.Elapsed > limit)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"the course tool ran past {limit}:\n{Locked(stdout)}\n{Locked(stderr)}");
            }

            await Task.Delay(50);
        }

        await process.WaitForExitAsync();
        return new ToolRun(process.ExitCode, Locked(stdout), Locked(stderr), peak);

        static bool SigIntIgnored() =>
            File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
            && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (2 - 1))) != 0;   // bit n − 1 for signal n; SIGINT is 2

        static string Locked(StringBuilder text)
        {
            lock (text)
            {
                return text.ToString();
            }
        }
    }

    /// <summary>The VmHWM of process <paramref name="pid"/> in bytes (0 once it is gone).</summary>
    internal static long HighWaterMark(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    internal static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>A valid notebook of <paramref name="bytes"/> bytes: one markdown cell whose source is one huge string.</summary>
    internal static void WriteHugeNotebook(string path, long bytes)
    {
        var head = "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {\"backprop\": {\"lesson\": \"01\"}}, \"cells\": [{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": \""u8.ToArray();
        var tail = "\"}]}\n"u8.ToArray();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        file.Write(head);
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)'a');
        for (var left = bytes - head.Length - tail.Length; left > 0; left -= chunk.Length)
        {
            file.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
        }

        file.Write(tail);
    }

    /// <summary>A lesson-01 notebook of <paramref name="cells"/> empty code cells.</summary>
    internal static string NotebookOfEmptyCells(int cells) =>
        "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {\"backprop\": {\"lesson\": \"01\"}}, \"cells\": ["
        + string.Join(",", Enumerable.Repeat("{\"cell_type\": \"code\", \"metadata\": {}, \"execution_count\": null, \"outputs\": [], \"source\": []}", cells))
        + "]}\n";
}
