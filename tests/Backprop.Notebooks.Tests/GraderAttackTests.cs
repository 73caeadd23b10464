using System.Text.Json.Nodes;
using Backprop.Course;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The attacks of the grader-trust issue, each a submission of lesson 00 (the shortest lesson) in one batch
/// graded once with <c>grade --output</c>: no points for the cheat, a named problem, nothing of the
/// instructor's, the kit's or the other submissions' changed, no stray process; broken files do not stop the
/// batch; a resumed batch regrades nothing.
/// </summary>
[Collection("grader")]
public sealed class GraderAttackTests
{
    private const string Lesson00 = "00-start-here.ipynb";
    private static readonly Lazy<Task<Batch>> s_batch = new(GradeBatchAsync);

    private sealed record Batch(string Folder, string Report, int Exit, Dictionary<string, JsonNode> ByName, Dictionary<string, string> Before, Dictionary<string, string> After, List<string> Stray, string Stdout);

    private static string Stub(string id, string signature) => $"// EXERCISE {id} (1 point)\n{signature} => throw new NotImplementedException(\"Exercise {id}: not attempted yet\");";

    private const string StubWithBias = "Vector<double> WithBias(Vector<double> x)";
    private const string StubSigma = "double Sigma(double a)";

    /// <summary>Lesson 00 as a student hands it in: the solutions, with each exercise cell replaced by <paramref name="exercises"/>[id]; setup cells dropped when asked; extra cells after the setup.</summary>
    private static void Write(string folder, string name, Dictionary<string, string>? exercises = null, bool dropSetup = false, string[]? extra = null)
    {
        var instructor = NotebookDocument.Load(Path.Combine(EngineFixture.Shared.NotebooksFolder, Lesson00));
        var cells = new List<NotebookCell>();
        foreach (var cell in instructor.Cells.Select(c => c.Copy()))
        {
            if (cell.Marker is { Kind: MarkerKind.Setup } && dropSetup)
            {
                continue;
            }

            if (cell.Marker is { Kind: MarkerKind.Exercise } m && exercises?.GetValueOrDefault(m.Id) is { } source)
            {
                cell.Source = source;
            }

            cells.Add(cell);
            if (cell.Marker is { Kind: MarkerKind.Setup, Id: "2/2" } || (dropSetup && cells.Count == 1))
            {
                foreach (var e in extra ?? [])
                {
                    cells.Add(new NotebookCell(new JsonObject
                    {
                        ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["outputs"] = new JsonArray(), ["execution_count"] = null, ["source"] = NotebookCell.SourceLines(e),
                    }));
                }
            }
        }

        instructor.WithCells(cells, name).Save(Path.Combine(folder, name));
    }

    private static async Task<Batch> GradeBatchAsync()
    {
        var kit = EngineFixture.Shared;
        var folder = Path.Combine(kit.Scratch, "attack-batch");
        Directory.CreateDirectory(folder);
        var root = kit.Root;
        Write(folder, "correct.ipynb");
        Write(folder, "middleware.ipynb", new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\nMicrosoft.DotNet.Interactive.Kernel.Current.AddMiddleware(async (command, context, next) =>\n{\n    if (command is Microsoft.DotNet.Interactive.Commands.SubmitCode s && s.Code.StartsWith(\"// CHECK\")) return;\n    await next(command, context);\n});\n" + StubWithBias + " => throw new NotImplementedException();",
            ["00.2"] = Stub("00.2", StubSigma),
        });
        Write(folder, "reads-solution.ipynb", new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\nvar solution = System.IO.File.ReadAllText(\"00-start-here.ipynb\");\n" + StubWithBias + " => throw new NotImplementedException();",
        });
        Write(folder, "counterfeit.ipynb", new() { ["00.1"] = Stub("00.1", StubWithBias), ["00.2"] = Stub("00.2", StubSigma) }, dropSetup: true,
            extra: ["#r \"/tmp/Backprop.Coursework.dll\"", "#load \"../artifacts/kit/setup.csx\""]);
        Write(folder, "tampers.ipynb", new() { ["00.1"] = Stub("00.1", StubWithBias) }, extra:
        [
            "System.IO.File.WriteAllText(\"../artifacts/kit/Backprop.Coursework.dll\", \"counterfeit\");",
            $"using static System.IO.File;\nAppendAllText(\"{root}/lib/Backprop.Coursework/Check.cs\", \"// patched\");",
            $"using F = System.IO.File;\nF.WriteAllText(\"{root}/notebooks/{Lesson00}\", \"{{}}\");",
            $"var cmdline = global::System.IO.File.ReadAllText($\"/proc/{{Environment.ProcessId}}/cmdline\");\nforeach (var f in System.IO.Directory.GetFiles(\"{folder}\")) System.IO.File.WriteAllText(f, \"{{}}\");",
            "System.Diagnostics.Process.Start(\"bash\", \"-c \\\"(sleep 4323 &)\\\"\");",
        ]);
        Write(folder, "fake-passed.ipynb", new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\n" + StubWithBias + " => throw new NotImplementedException();\nConsole.WriteLine(\"✔ Exercise 00.1 passed: the input with x_0 = 1 in front\");\nConsole.WriteLine(\"backprop-check-attestation 00000000000000000000000000000000 00.1 00000000-0000-0000-0000-000000000000\");",
        });
        Write(folder, "dies.ipynb", new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\n" + StubWithBias + " => x;\nint Down(int n) => Down(n + 1) + 1;\nDown(0);",
        });
        File.WriteAllText(Path.Combine(folder, "lesson-number.ipynb"), "{\"nbformat\": 4, \"metadata\": {\"backprop\": {\"lesson\": 0}}, \"cells\": []}");
        File.WriteAllText(Path.Combine(folder, "source-number.ipynb"), "{\"nbformat\": 4, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", \"source\": 42}]}");
        File.WriteAllText(Path.Combine(folder, "source-mixed.ipynb"), "{\"nbformat\": 4, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", \"source\": [\"ok\\n\", 7]}]}");

        var submissions = Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToArray();
        var before = Fingerprint.Of(root, folder);
        var report = Path.Combine(kit.Scratch, "attack-report.json");
        var stdout = new StringWriter();
        var exit = await Program.RunAsync(["grade", .. submissions, "--output", report, "--timeout", "240"], root, stdout, TextWriter.Null);
        var after = Fingerprint.Of(root, folder);
        var stray = Fingerprint.Stray("sleep 4323");
        var byName = JsonNode.Parse(File.ReadAllText(report))!.AsArray().ToDictionary(g => Path.GetFileName(g!["notebook"]!.GetValue<string>()), g => g!);
        return new Batch(folder, report, exit, byName, before, after, stray, stdout.ToString());
    }

    private static async Task<JsonNode> Graded(string name) => (await s_batch.Value).ByName[name];

    private static JsonNode Exercise(JsonNode grade, string id) => grade["exercises"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == id)!;

    private static string Problems(JsonNode grade) => string.Join("\n", grade["problems"]!.AsArray().Select(p => p!.GetValue<string>()));

    [Fact]
    public async Task The_correct_submission_of_the_batch_gets_full_marks()
    {
        var grade = await Graded("correct.ipynb");
        Assert.Equal(2, grade["earned"]!.GetValue<int>());
        Assert.Empty(grade["problems"]!.AsArray());
    }

    [Fact]
    public async Task Kernel_middleware_that_drops_check_cells_is_refused_and_scores_nothing()
    {
        var grade = await Graded("middleware.ipynb");
        Assert.Equal(0, grade["earned"]!.GetValue<int>());
        Assert.Contains("not run", Exercise(grade, "00.1")["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("notebook engine's API", Problems(grade), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_the_instructors_notebook_is_refused()
    {
        var grade = await Graded("reads-solution.ipynb");
        Assert.Equal(0, Exercise(grade, "00.1")["earned"]!.GetValue<int>());
        Assert.Equal(1, Exercise(grade, "00.2")["earned"]!.GetValue<int>());
        Assert.Contains("the file system", Problems(grade), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_setup_cells_and_loading_a_counterfeit_kit_is_refused_and_the_instructors_setup_runs()
    {
        var grade = await Graded("counterfeit.ipynb");
        Assert.Equal(0, grade["earned"]!.GetValue<int>());
        Assert.Contains("directive `#r`", Problems(grade), StringComparison.Ordinal);
        Assert.Contains("directive `#load`", Problems(grade), StringComparison.Ordinal);
        Assert.Contains("not attempted yet", Exercise(grade, "00.1")["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overwriting_the_kit_patching_its_sources_rewriting_the_instructors_notebook_and_other_submissions_and_forking_change_nothing()
    {
        var batch = await s_batch.Value;
        var grade = batch.ByName["tampers.ipynb"];
        Assert.Equal(0, Exercise(grade, "00.1")["earned"]!.GetValue<int>());
        var problems = Problems(grade);
        Assert.Equal(5, grade["problems"]!.AsArray().Count(p => p!.GetValue<string>().Contains("was not run", StringComparison.Ordinal)));
        Assert.Contains("Process", problems, StringComparison.Ordinal);
        Assert.Equal(batch.Before, batch.After);
        Assert.Empty(batch.Stray);
    }

    [Fact]
    public async Task A_printed_passed_line_and_a_forged_attestation_do_not_count()
    {
        var grade = await Graded("fake-passed.ipynb");
        Assert.Equal(0, Exercise(grade, "00.1")["earned"]!.GetValue<int>());
        Assert.False(Exercise(grade, "00.1")["passed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_kernel_that_dies_costs_only_its_own_exercise()
    {
        var grade = await Graded("dies.ipynb");
        Assert.Equal(0, Exercise(grade, "00.1")["earned"]!.GetValue<int>());
        Assert.Equal(1, Exercise(grade, "00.2")["earned"]!.GetValue<int>());
        Assert.Contains("the kernel exited with code", Problems(grade), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lesson-number.ipynb", "metadata.backprop.lesson")]
    [InlineData("source-number.ipynb", "is not text")]
    [InlineData("source-mixed.ipynb", "is not text")]
    public async Task Broken_json_is_a_problem_of_that_submission_and_the_batch_goes_on(string name, string problem)
    {
        var batch = await s_batch.Value;
        Assert.Equal(1, batch.Exit);
        Assert.Equal(10, batch.ByName.Count);
        Assert.Contains(problem, Problems(batch.ByName[name]), StringComparison.Ordinal);
        Assert.All(batch.ByName.Values, g => Assert.Matches("^[0-9a-f]{64}$", g["sha256"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Killing_the_grader_leaves_no_kernel_behind()
    {
        var kit = EngineFixture.Shared;
        var folder = Path.Combine(kit.Scratch, "orphan");
        Directory.CreateDirectory(folder);
        Write(folder, "slow.ipynb", new() { ["00.1"] = "// EXERCISE 00.1 (1 point)\n" + StubWithBias + " => x;\nSystem.Threading.Thread.Sleep(60000);" });
        var tool = typeof(Program).Assembly.Location;
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = kit.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { tool, "grade", Path.Combine(folder, "slow.ipynb") })
        {
            start.ArgumentList.Add(a);
        }

        using var grader = System.Diagnostics.Process.Start(start)!;
        _ = grader.StandardOutput.ReadToEndAsync();
        _ = grader.StandardError.ReadToEndAsync();
        string? control = null;
        for (var waited = 0; waited < 240 && control is null; waited++)
        {
            await Task.Delay(1000);
            control = Directory.GetDirectories(Path.GetTempPath(), "backprop-grade-*").Select(d => Path.Combine(d, "control"))
                .FirstOrDefault(c => File.Exists(Path.Combine(c, "pgid-1")) && File.ReadAllText(Path.Combine(c, "launch-1.sh")).Contains($"kill -0 {grader.Id} ", StringComparison.Ordinal));
        }

        Assert.NotNull(control);
        var group = int.Parse(File.ReadAllText(Path.Combine(control, "pgid-1")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(3000);
        Assert.True(Directory.Exists($"/proc/{group}"), "the kernel's group should run while the grader does");

        grader.Kill();   // SIGKILL: no handler of the grader's runs
        await grader.WaitForExitAsync();
        await Task.Delay(3000);

        Assert.False(Directory.Exists($"/proc/{group}") && !File.ReadAllText($"/proc/{group}/stat").Contains(") Z", StringComparison.Ordinal), "the kernel's process group outlived the grader");
        Assert.Empty(Fingerprint.Stray(Path.GetDirectoryName(control)!));
    }

    [Fact]
    public async Task A_resumed_batch_keeps_what_is_graded_and_regrades_only_a_changed_submission()
    {
        var batch = await s_batch.Value;
        var submissions = Directory.GetFiles(batch.Folder, "*.ipynb").Where(f => !f.EndsWith("correct.ipynb", StringComparison.Ordinal) && !f.EndsWith("dies.ipynb", StringComparison.Ordinal)
            && !f.EndsWith("tampers.ipynb", StringComparison.Ordinal) && !f.EndsWith("middleware.ipynb", StringComparison.Ordinal) && !f.EndsWith("fake-passed.ipynb", StringComparison.Ordinal)
            && !f.EndsWith("reads-solution.ipynb", StringComparison.Ordinal) && !f.EndsWith("counterfeit.ipynb", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var changed = Path.Combine(batch.Folder, "source-number.ipynb");
        File.WriteAllText(changed, "{\"nbformat\": 4, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", \"source\": 43}]}");
        var report = Path.Combine(EngineFixture.Shared.Scratch, "resume-report.json");
        File.Copy(batch.Report, report, overwrite: true);
        var stdout = new StringWriter();

        await Program.RunAsync(["grade", .. submissions, "--output", report, "--resume"], EngineFixture.Shared.Root, stdout, TextWriter.Null);

        var text = stdout.ToString();
        Assert.Equal(submissions.Count - 1, text.Split('\n').Count(l => l.Contains("graded before (same content), kept", StringComparison.Ordinal)));
        Assert.DoesNotContain("source-number.ipynb: graded before", text, StringComparison.Ordinal);
        Assert.Equal(submissions.Count, JsonNode.Parse(File.ReadAllText(report))!.AsArray().Count);
    }
}
