using System.Diagnostics;
using Backprop.Course;
using Backprop.Course.Transforms;
using Backprop.Course.Notebooks;
using Backprop.Course.Running;
using Backprop.Course.Sandboxing;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The sandbox on its own, with the cell policy out of the way (defence in depth): attack cells run in one
/// confined kernel, which dies several times and is restarted each time, and each fault is reported at once.
/// </summary>
[Collection("grader")]
public sealed class SandboxTests
{
    private readonly EngineFixture kit = EngineFixture.Shared;

    [Fact]
    public async Task Kernel_faults_are_named_at_once_the_kernel_comes_back_and_nothing_outside_the_sandbox_changes_or_survives()
    {
        var before = Fingerprint.Of(kit.Root);
        var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, "00-start-here.ipynb"));
        var setup = instructor.Cells.Where(c => c.Marker?.Kind == MarkerKind.Setup).Select(c => SandboxSetup.Apply(c.Source));
        var root = kit.Root;
        string[] attacks =
        [
            "System.IO.File.WriteAllText(\"../artifacts/kit/Backprop.Coursework.dll\", \"counterfeit\");",                    // 1 read-only kit
            $"System.IO.File.AppendAllText(\"{root}/lib/Backprop.Coursework/Check.cs\", \"// patched\");",                  // 2 no kit sources
            $"Console.WriteLine(System.IO.File.Exists(\"{root}/notebooks/00-start-here.ipynb\") ? \"SEES-INSTRUCTOR\" : \"hidden\");",
            "Console.WriteLine(System.IO.Directory.GetDirectories(\"/proc\").Any(d => System.IO.File.Exists(d + \"/cmdline\") && System.IO.File.ReadAllText(d + \"/cmdline\").Contains(\"testhost\")) ? \"SEES-GRADER\" : \"alone\");",
            "System.Diagnostics.Process.Start(\"bash\", \"-c \\\"(sleep 4323 &)\\\"\")!.WaitForExit();",
            "Environment.Exit(0);",
            "Console.WriteLine(\"alive\");",
            "Environment.FailFast(\"boom\");",
            "int Down(int n) => Down(n + 1) + 1;\nDown(0);",
            "new System.Threading.Thread(() => throw new InvalidOperationException(\"thread\")).Start();\nSystem.Threading.Thread.Sleep(20000);",
            "class Bomb { ~Bomb() { throw new InvalidOperationException(\"finalizer\"); } }\nstatic void Make() { for (var i = 0; i < 100; i++) new Bomb(); }\nMake(); GC.Collect(); GC.WaitForPendingFinalizers(); System.Threading.Thread.Sleep(20000);",
            "var hog = new List<byte[]>();\nwhile (true) hog.Add(new byte[1 << 24]);",
            "Console.WriteLine(\"alive at the end\");",
        ];
        var cells = setup.Concat(attacks).Select(source => new NotebookCell(new System.Text.Json.Nodes.JsonObject
        {
            ["cell_type"] = "code", ["metadata"] = new System.Text.Json.Nodes.JsonObject(), ["outputs"] = new System.Text.Json.Nodes.JsonArray(), ["execution_count"] = null,
            ["source"] = NotebookCell.SourceLines(source),
        }));
        var notebook = instructor.WithCells(cells, "attacks.ipynb");
        var image = KitImage.Read(Course.Kit.OutputDirectory(kit.Root));
        var clock = Stopwatch.StartNew();

        NotebookRun run;
        using (var sandbox = Sandbox.Create(image, memoryLimitBytes: 1L << 30))
        {
            run = await kit.Runner(cellTimeoutSeconds: 60, notebookTimeoutSeconds: 400).RunAsync(notebook, sandbox);
        }

        var setupCount = notebook.Cells.Count - attacks.Length;
        CellResult Attack(int i) => run.Cells[setupCount + i - 1];
        string Output(int i) => string.Concat(run.Executed.Cells[setupCount + i - 1].Json["outputs"]!.AsArray().SelectMany(o => o!["text"]?.AsArray().Select(t => t!.GetValue<string>()) ?? []));
        Assert.All(run.Cells.Take(setupCount), c => Assert.Equal(CellStatus.Succeeded, c.Status));
        Assert.Equal(CellStatus.Failed, Attack(1).Status);
        Assert.Equal(CellStatus.Failed, Attack(2).Status);
        if (Confinement.Best == ConfinementKind.Bubblewrap)
        {
            Assert.Contains("hidden", Output(3), StringComparison.Ordinal);
            Assert.Contains("alone", Output(4), StringComparison.Ordinal);
        }

        Assert.Equal(CellStatus.Crashed, Attack(6).Status);
        Assert.Contains("the kernel exited with code 0 in cell", Attack(6).Error, StringComparison.Ordinal);
        Assert.Equal(CellStatus.Succeeded, Attack(7).Status);
        Assert.Contains("alive", Output(7), StringComparison.Ordinal);
        foreach (var dead in new[] { 8, 9, 10, 11 })
        {
            Assert.True(Attack(dead).Status == CellStatus.Crashed, $"attack {dead}: {Attack(dead).Status} {Attack(dead).Error}");
            Assert.Contains("the kernel exited with code", Attack(dead).Error, StringComparison.Ordinal);
            Assert.True(Attack(dead).Elapsed < TimeSpan.FromSeconds(30), $"attack {dead} noticed after {Attack(dead).Elapsed}");
        }

        Assert.True(Attack(12).Status is CellStatus.Failed or CellStatus.Crashed, $"allocation without end: {Attack(12).Status}");
        Assert.True(Attack(12).Elapsed < TimeSpan.FromSeconds(50), $"allocation stopped after {Attack(12).Elapsed}");
        Assert.Equal(CellStatus.Succeeded, Attack(13).Status);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"took {clock.Elapsed}");
        Assert.Empty(Fingerprint.Stray("sleep 4323"));
        Assert.Equal(before, Fingerprint.Of(kit.Root));
    }
}

/// <summary>Hashes of what a submission must never change, and processes that must not outlive grading.</summary>
internal static class Fingerprint
{
    /// <summary>SHA-256 of every file of notebooks/, lib/ (sources, not build output) and artifacts/kit.</summary>
    public static Dictionary<string, string> Of(string root, params string[] extraFolders)
    {
        var files = new[] { "notebooks", "lib", Path.Combine("artifacts", "kit") }.Select(f => Path.Combine(root, f)).Concat(extraFolders)
            .Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj"));
        return files.Order(StringComparer.Ordinal).ToDictionary(f => f, KitImage.HashFile);
    }

    /// <summary>The processes whose command line contains <paramref name="text"/>.</summary>
    public static List<string> Stray(string text)
    {
        Thread.Sleep(500);
        var found = new List<string>();
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsDigit)))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(text, StringComparison.Ordinal) && Path.GetFileName(dir) != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    found.Add($"{Path.GetFileName(dir)}: {cmdline}");
                }
            }
            catch (IOException)
            {
            }
        }

        return found;
    }
}
