using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Backprop.Course;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;
using Backprop.Course.Running;
using Backprop.Course.Sandboxing;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The weak confinements (where bubblewrap does not work: Gradescope's containers, CI runners) as the bundles use them:
/// run as root, the lecturer's files in a folder only root may enter (what the Gradescope bundle's setup.sh makes of
/// /autograder). Attack cells run straight through the sandbox's launch path, the cell check out of the way, so each
/// asserts what the sandbox alone holds. And the <c>run</c> verb's report of a kernel that exits.
/// </summary>
[Collection("grader")]
public sealed class ConfinementTests
{
    private readonly EngineFixture kit = EngineFixture.Shared;

    [Theory]
    [InlineData("group")]
    [InlineData("unshare")]
    public async Task As_root_a_kernel_reads_and_changes_none_of_the_lecturers_files_nor_another_submission_reaches_no_listener_and_leaves_no_process(string confinement)
    {
        var kind = confinement == "group" ? ConfinementKind.ProcessGroup : ConfinementKind.Unshare;
        if (!Environment.IsPrivilegedProcess)
        {
            // Not root: no user of its own, and the description says so (the grader refuses unless told to allow it).
            Assert.Contains("it runs as you", Confinement.Describe(kind), StringComparison.Ordinal);
            return;
        }

        Assert.True(Confinement.DropsPrivileges, "as root, setpriv and prlimit should work here");
        Assert.Contains("an unprivileged user of its own", Confinement.Describe(kind), StringComparison.Ordinal);
        var tag = Guid.NewGuid().ToString("N")[..8];
        var lecturer = Directory.CreateTempSubdirectory("backprop-lecturer-").FullName;   // 0700, root's: like /autograder after setup.sh
        var hidden = Path.Combine(lecturer, "notebooks", "hidden-checks.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(hidden)!);
        File.WriteAllText(hidden, "SECRET-HIDDEN-CHECK");
        File.Copy(Path.Combine(kit.NotebooksFolder, "00-start-here.ipynb"), Path.Combine(lecturer, "notebooks", "00-start-here.ipynb"));
        var image = KitImage.Read(Course.Kit.OutputDirectory(kit.Root));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = 0;
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref accepted);
            }
        });
        var leftInTmp = $"/tmp/backprop-left-{tag}";
        var leftInVarTmp = $"/var/tmp/backprop-left-{tag}";
        var before = Fingerprint.Of(kit.Root, lecturer);
        try
        {
            NotebookRun run;
            string otherSubmission;
            using (var other = Sandbox.Create(image, kind))
            {
                // Another submission of the batch, graded at the same time in a sandbox of its own.
                otherSubmission = Path.Combine(other.NotebookFolder, "other.ipynb");
                File.WriteAllText(otherSubmission, "OTHER-SUBMISSION");
                string[] attacks =
                [
                    "static string Try(Func<object> f) { try { return \"GOT \" + f(); } catch (Exception e) { return \"DENIED \" + e.GetType().Name; } }\n"
                        + "Console.WriteLine(System.IO.File.ReadAllLines(\"/proc/self/status\").First(l => l.StartsWith(\"Uid:\")));",
                    $"Console.WriteLine(Try(() => System.IO.File.ReadAllText(\"{hidden}\")));",
                    $"Console.WriteLine(Try(() => System.IO.File.ReadAllText(\"{lecturer}/notebooks/00-start-here.ipynb\")));",
                    $"Console.WriteLine(Try(() => System.IO.File.ReadAllText(\"{otherSubmission}\")));",
                    $"Console.WriteLine(Try(() => {{ System.IO.File.WriteAllText(\"{otherSubmission}\", \"{{}}\"); return \"written\"; }}));",
                    $"Console.WriteLine(Try(() => {{ System.IO.File.WriteAllText(\"{lecturer}/notebooks/00-start-here.ipynb\", \"{{}}\"); return \"written\"; }}));",
                    $"Console.WriteLine(Try(() => {{ System.IO.File.WriteAllText(\"{kit.Root}/escaped-{tag}.txt\", \"x\"); return \"written\"; }}));",
                    "Console.WriteLine(Try(() => { System.IO.File.WriteAllText(\"../artifacts/kit/Backprop.Coursework.dll\", \"counterfeit\"); return \"written\"; }));",
                    $"Console.WriteLine(Try(() => {{ System.IO.File.WriteAllText(\"{leftInTmp}\", \"x\"); System.IO.Directory.CreateDirectory(\"{leftInVarTmp}\"); System.IO.File.WriteAllText(\"{leftInVarTmp}/x\", \"x\"); return \"written\"; }}));",
                    $"Console.WriteLine(Try(() => {{ using var c = new System.Net.Sockets.TcpClient(); c.Connect(\"127.0.0.1\", {port}); return \"connected\"; }}));",
                    $"Console.WriteLine(Try(() => System.IO.File.ReadAllText(\"{kit.NotebooksFolder}/00-start-here.ipynb\").Length));",
                    "System.Diagnostics.Process.Start(\"setsid\", \"-f sleep 43251\")!.WaitForExit();\n"
                        + "System.Diagnostics.Process.Start(\"bash\", \"-c \\\"(setsid sleep 43261 &) ; (nohup sleep 43271 >/dev/null 2>&1 &)\\\"\")!.WaitForExit();\n"
                        + "Console.WriteLine(\"started\");",
                ];
                using var sandbox = Sandbox.Create(image, kind, memoryLimitBytes: 1L << 30);
                Assert.NotNull(sandbox.KernelUid);
                Assert.NotEqual(sandbox.KernelUid, other.KernelUid);
                run = await kit.Runner(cellTimeoutSeconds: 60, notebookTimeoutSeconds: 300).RunAsync(Notebook(attacks, "weak-attacks.ipynb"), sandbox);
                var describe = string.Join("\n", run.Cells.Select(c => $"{c.CellNumber} {c.Status} {c.Error} {Output(run, c.CellNumber)}"));
                Assert.True(run.Cells.All(c => c.Status == CellStatus.Succeeded), describe);
                foreach (var cell in Enumerable.Range(2, 9))
                {
                    // Cell 9 may write in the shared /tmp (every user may): what it left there must be gone after grading.
                    var output = Output(run, cell);
                    Assert.True(output.StartsWith("DENIED", StringComparison.Ordinal) || (cell == 9 && output.StartsWith("GOT written", StringComparison.Ordinal)), describe);
                }

                // The repository is open to every user here; only a root of its own (unshare as root) hides it.
                if (kind == ConfinementKind.Unshare)
                {
                    Assert.True(Confinement.CanBuildPrivateRoot, "as root, where unshare makes a mount namespace, a root of its own should be possible");
                    Assert.StartsWith("DENIED", Output(run, 11), StringComparison.Ordinal);
                }

                Assert.Contains("started", Output(run, 12), StringComparison.Ordinal);
                Assert.Contains($"Uid:\t{sandbox.KernelUid}", Output(run, 1), StringComparison.Ordinal);
                Assert.Equal("OTHER-SUBMISSION", File.ReadAllText(otherSubmission));
            }

            Assert.Equal(0, accepted);
            Assert.Empty(Fingerprint.Stray($"sleep 43251"));
            Assert.Empty(Fingerprint.Stray($"sleep 43261"));
            Assert.Empty(Fingerprint.Stray($"sleep 43271"));
            Assert.False(File.Exists(leftInTmp), $"{leftInTmp} outlived the sandbox");
            Assert.False(Directory.Exists(leftInVarTmp), $"{leftInVarTmp} outlived the sandbox");
            Assert.False(File.Exists(Path.Combine(kit.Root, $"escaped-{tag}.txt")));
            Assert.Equal(before, Fingerprint.Of(kit.Root, lecturer));
        }
        finally
        {
            listener.Stop();
            File.Delete(Path.Combine(kit.Root, $"escaped-{tag}.txt"));   // there only when the test fails
            File.Delete(leftInTmp);
            if (Directory.Exists(leftInVarTmp))
            {
                Directory.Delete(leftInVarTmp, recursive: true);
            }

            Directory.Delete(lecturer, recursive: true);
            _ = accepting;
        }
    }

    [Theory]
    [InlineData("group")]
    [InlineData("unshare")]
    public async Task As_root_under_a_weak_confinement_the_instructors_notebook_still_gets_full_marks(string confinement)
    {
        var kind = confinement == "group" ? ConfinementKind.ProcessGroup : ConfinementKind.Unshare;
        var folder = Directory.CreateTempSubdirectory("backprop-weak-grade-").FullName;
        try
        {
            var submission = Path.Combine(folder, "alice.ipynb");
            File.Copy(Path.Combine(kit.NotebooksFolder, "00-start-here.ipynb"), submission);
            var grader = new Grader(kit.Root, kit.Runner()) { Confinement = kind };

            var grade = await grader.GradeAsync(submission);

            Assert.True(grade.Possible > 0 && grade.Earned == grade.Possible, $"{grade.Earned}/{grade.Possible}: {string.Join("; ", grade.Problems.Concat(grade.Exercises.Select(e => e.Message)))}");
            Assert.Empty(grade.Problems);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("Environment.Exit(3);", 3)]
    [InlineData("int Down(int n) => Down(n + 1) + 1;\nDown(0);", 134)]
    public async Task Run_reports_a_kernel_that_exits_at_once_and_the_rest_of_the_lesson_as_not_run_because_of_it(string exit, int code)
    {
        var folder = Directory.CreateTempSubdirectory("backprop-run-exit-").FullName;
        var notebook = Notebook(["Console.WriteLine(\"before\");", exit, "Console.WriteLine(\"after\");"], "exits.ipynb");

        var run = await kit.Runner(cellTimeoutSeconds: 120, notebookTimeoutSeconds: 300).RunAsync(notebook, folder);

        Assert.Equal(CellStatus.Succeeded, run.Cells[0].Status);
        Assert.Equal(CellStatus.Crashed, run.Cells[1].Status);
        Assert.StartsWith($"the kernel exited with code {code} in cell 2", run.Cells[1].Error, StringComparison.Ordinal);
        Assert.True(run.Cells[1].Elapsed < TimeSpan.FromSeconds(30), $"noticed after {run.Cells[1].Elapsed}");
        Assert.Equal(CellStatus.NotRun, run.Cells[2].Status);
        Assert.Equal("not run: the kernel exited in cell 2", run.Cells[2].Error);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_setsid_child_of_an_unconfined_kernel_dies_with_it_too()
    {
        // No user of its own here (the run verb; a process group as a user other than root): the mark in the environment finds it.
        var folder = Directory.CreateTempSubdirectory("backprop-run-setsid-").FullName;
        var notebook = Notebook(["System.Diagnostics.Process.Start(\"setsid\", \"-f sleep 43291\")!.WaitForExit();\nConsole.WriteLine(\"started\");"], "setsid.ipynb");

        var run = await kit.Runner(cellTimeoutSeconds: 120, notebookTimeoutSeconds: 300).RunAsync(notebook, folder);

        Assert.Equal(CellStatus.Succeeded, run.Cells[0].Status);
        Assert.Contains("started", Output(run, 1), StringComparison.Ordinal);
        Assert.Empty(Fingerprint.Stray($"sleep 43291"));
        Directory.Delete(folder, recursive: true);
    }

    private NotebookDocument Notebook(IEnumerable<string> sources, string name)
    {
        var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, "00-start-here.ipynb"));
        var cells = sources.Select(source => new NotebookCell(new JsonObject
        {
            ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["execution_count"] = null,
            ["source"] = NotebookCell.SourceLines(source),
        }));
        return instructor.WithCells(cells, name);
    }

    /// <summary>The text a cell printed.</summary>
    private static string Output(NotebookRun run, int cellNumber) => string.Concat(run.Executed.Cells[cellNumber - 1].Json["outputs"]!.AsArray()
        .SelectMany(o => o!["text"]?.AsArray().Select(t => t!.GetValue<string>()) ?? []));
}
