using System.Text.Json.Nodes;
using Backprop.Course.Cli;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

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
    private static readonly Lazy<Task<Batch>> s_batch = new(() => GradeBatchAsync(weakConfinement: null));

    /// <summary>The same batch graded as the Gradescope bundle grades it: root, --allow-weak-confinement, no bubblewrap (a separate grader process).</summary>
    private static readonly Lazy<Task<Batch>> s_weakBatch = new(() => GradeBatchAsync(weakConfinement: "group"));

    private sealed record Batch(string Folder, string Report, string Feedback, int Exit, Dictionary<string, JsonNode> ByName, Dictionary<string, string> Before, Dictionary<string, string> After, List<string> Stray, string Stdout);

    /// <summary>The submissions of the batch that a kernel runs (the others are refused before that or are broken files).</summary>
    private static readonly string[] s_run = ["correct", "middleware", "reads-solution", "counterfeit", "tampers", "fake-passed", "dies", "cr-load", "magic", "records-inputs", "throws-inputs", "no-exercises"];

    private static string Stub(string id, string signature) => $"// EXERCISE {id} (1 point)\n{signature} => throw new NotImplementedException(\"Exercise {id}: not attempted yet\");";

    private const string StubWithBias = "Vector<double> WithBias(Vector<double> x)";
    private const string StubSigma = "double Sigma(double a)";

    /// <summary>
    /// Lesson 00 as a student hands it in: the solutions, with each exercise cell replaced by <paramref name="exercises"/>[id] (an
    /// empty text drops the cell); setup cells dropped when asked; extra cells after the setup (for the <paramref name="kernel"/>
    /// named in their metadata, when given) and <paramref name="tail"/> cells at the end.
    /// </summary>
    private static void Write(string folder, string name, Dictionary<string, string>? exercises = null, bool dropSetup = false, string[]? extra = null, string? kernel = null, string[]? tail = null)
    {
        static NotebookCell Code(string source, string? kernel) => new(new JsonObject
        {
            ["cell_type"] = "code",
            ["metadata"] = kernel is null ? new JsonObject() : new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel } },
            ["outputs"] = new JsonArray(), ["execution_count"] = null, ["source"] = NotebookCell.SourceLines(source),
        });

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
                if (source.Length == 0)
                {
                    continue;
                }

                cell.Source = source;
            }

            cells.Add(cell);
            if (cell.Marker is { Kind: MarkerKind.Setup, Id: "2/2" } || (dropSetup && cells.Count == 1))
            {
                cells.AddRange((extra ?? []).Select(e => Code(e, kernel)));
            }
        }

        cells.AddRange((tail ?? []).Select(t => Code(t, null)));

        instructor.WithCells(cells, name).Save(Path.Combine(folder, name));
    }

    private static async Task<Batch> GradeBatchAsync(string? weakConfinement)
    {
        var kit = EngineFixture.Shared;
        var suffix = weakConfinement is null ? "" : "-" + weakConfinement;
        var folder = Path.Combine(kit.Scratch, "attack-batch" + suffix);
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
        // Round two: a directive behind a lone carriage return (or any line terminator Roslyn accepts), written by an allowed-looking API.
        Write(folder, "cr-load.ipynb", new() { ["00.1"] = Stub("00.1", StubWithBias), ["00.2"] = Stub("00.2", StubSigma) }, extra:
        [
            "var w = System.Xml.XmlWriter.Create(\"evil.csx\");\nw.WriteRaw(\"Console.WriteLine(1);\");\nw.Flush();",
            "// a harmless-looking comment\r#load \"evil.csx\"",
            "// another\u2028#r \"nuget: Newtonsoft.Json\"",
        ]);
        Write(folder, "magic.ipynb", new() { ["00.1"] = Stub("00.1", StubWithBias) }, extra: ["// a comment\r#!pwsh\rGet-ChildItem /"]);
        Write(folder, "pwsh-cell.ipynb", new() { ["00.1"] = Stub("00.1", StubWithBias) }, extra: ["Get-ChildItem /"], kernel: "pwsh");
        // An exercise that is right but keeps what the check passes it, and a last cell that prints it and throws it.
        Write(folder, "records-inputs.ipynb", new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\nVector<double> WithBias(Vector<double> x)\n{\n    seen.Add(string.Join(\",\", x));\n    return Vector<double>.Build.Dense(x.Count + 1, i => i == 0 ? 1.0 : x[i - 1]);\n}",
        }, extra: ["var seen = new List<string>();"], tail: ["Console.WriteLine(\"SEEN \" + string.Join(\" | \", seen));", "throw new InvalidOperationException(\"SEEN \" + string.Join(\" | \", seen));"]);
        Write(folder, "throws-inputs.ipynb", new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\nVector<double> WithBias(Vector<double> x) => x.Count == 2 ? Vector<double>.Build.Dense(x.Count + 1, i => i == 0 ? 1.0 : x[i - 1]) : throw new InvalidOperationException(\"SEEN \" + string.Join(\",\", x));",
        });
        Write(folder, "no-exercises.ipynb", new() { ["00.1"] = "", ["00.2"] = "" });
        Write(folder, "many-cells.ipynb", new() { ["00.1"] = Stub("00.1", StubWithBias) }, extra: [.. Enumerable.Repeat("", Grader.MaxCodeCells)]);
        File.WriteAllText(Path.Combine(folder, "lesson-number.ipynb"), "{\"nbformat\": 4, \"metadata\": {\"backprop\": {\"lesson\": 0}}, \"cells\": []}");
        File.WriteAllText(Path.Combine(folder, "source-number.ipynb"), "{\"nbformat\": 4, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", \"source\": 42}]}");
        File.WriteAllText(Path.Combine(folder, "source-mixed.ipynb"), "{\"nbformat\": 4, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", \"source\": [\"ok\\n\", 7]}]}");

        var submissions = Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToArray();
        var before = Fingerprint.Of(root, folder);
        var report = Path.Combine(kit.Scratch, $"attack-report{suffix}.json");
        var feedback = Path.Combine(kit.Scratch, "attack-feedback" + suffix);
        string[] arguments = ["grade", .. submissions, "--output", report, "--feedback", feedback, "--timeout", "240"];
        int exit;
        var stdout = new StringWriter();
        if (weakConfinement is null)
        {
            exit = await Program.RunAsync(arguments, root, stdout, TextWriter.Null);
        }
        else
        {
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments.Prepend(typeof(Program).Assembly.Location).Append("--allow-weak-confinement"))
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["BACKPROP_GRADER_CONFINEMENT"] = weakConfinement;
            using var grader = System.Diagnostics.Process.Start(start)!;
            var errors = grader.StandardError.ReadToEndAsync();
            stdout.Write(await grader.StandardOutput.ReadToEndAsync());
            await grader.WaitForExitAsync();
            stdout.Write(await errors);
            exit = grader.ExitCode;
        }

        var after = Fingerprint.Of(root, folder);
        var stray = Fingerprint.Stray("sleep 4323");
        var byName = JsonNode.Parse(File.ReadAllText(report))!.AsArray().ToDictionary(g => Path.GetFileName(g!["notebook"]!.GetValue<string>()), g => g!);
        return new Batch(folder, report, feedback, exit, byName, before, after, stray, stdout.ToString());
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

    [Fact]
    public async Task Under_the_weak_confinement_the_bundles_use_every_attack_scores_as_under_bubblewrap_and_changes_nothing()
    {
        var strong = await s_batch.Value;
        var weak = await s_weakBatch.Value;

        Assert.Equal(strong.Exit, weak.Exit);
        Assert.Equal(strong.ByName.Keys.Order(StringComparer.Ordinal), weak.ByName.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, grade) in strong.ByName)
        {
            static string Verdicts(JsonNode g) => string.Join(" ", g["exercises"]!.AsArray().Select(e => $"{e!["id"]}:{e["earned"]}"));
            Assert.True(Verdicts(grade) == Verdicts(weak.ByName[name]), $"{name}: bubblewrap {Verdicts(grade)}, weak {Verdicts(weak.ByName[name])}\n{weak.Stdout}");
            Assert.Equal(grade["problems"]!.AsArray().Count, weak.ByName[name]["problems"]!.AsArray().Count);
        }

        Assert.Equal(weak.Before, weak.After);
        Assert.Empty(weak.Stray);
        Assert.False(File.Exists(Path.Combine(weak.Folder, "evil.csx")));
    }

    [Theory]
    [InlineData("cr-load.ipynb", "directive `#load`")]
    [InlineData("cr-load.ipynb", "directive `#r`")]
    [InlineData("cr-load.ipynb", "System.Xml.XmlWriter")]
    [InlineData("magic.ipynb", "directive `#!pwsh`")]
    [InlineData("pwsh-cell.ipynb", "a cell for the 'pwsh' kernel")]
    public async Task A_directive_behind_any_line_terminator_a_magic_command_and_a_foreign_kernel_cell_are_refused_and_score_nothing(string name, string problem)
    {
        var batch = await s_batch.Value;
        var grade = batch.ByName[name];
        Assert.Equal(0, Exercise(grade, "00.1")["earned"]!.GetValue<int>());
        Assert.Contains(problem, Problems(grade), StringComparison.Ordinal);
        Assert.Equal(batch.Before, batch.After);
        Assert.False(File.Exists(Path.Combine(batch.Folder, "evil.csx")));
    }

    [Fact]
    public async Task What_a_check_passed_to_the_students_code_never_reaches_the_feedback()
    {
        var batch = await s_batch.Value;
        var grade = batch.ByName["records-inputs.ipynb"];
        Assert.Equal(1, Exercise(grade, "00.1")["earned"]!.GetValue<int>());
        var page = File.ReadAllText(Directory.GetFiles(batch.Feedback, "records-inputs-*.html").Single());
        // The public check's input (0.5, -1) may show; the hidden checks' (3, 0, -2.5, 7) never.
        foreach (var text in new[] { page, grade.ToJsonString(), batch.Stdout })
        {
            Assert.DoesNotContain("-2.5,7", text, StringComparison.Ordinal);
            Assert.DoesNotContain("SEEN", text, StringComparison.Ordinal);
        }

        Assert.Contains("ran after a check cell", page, StringComparison.Ordinal);

        // An exception thrown from inside a hidden check: its type is named, its message (the student's text) is not.
        var thrown = batch.ByName["throws-inputs.ipynb"];
        var message = Exercise(thrown, "00.1")["message"]!.GetValue<string>();
        Assert.Equal(0, Exercise(thrown, "00.1")["earned"]!.GetValue<int>());
        Assert.Contains("your code threw InvalidOperationException (the exception's message is not shown", message, StringComparison.Ordinal);
        Assert.DoesNotContain("SEEN", thrown.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_notebook_without_its_exercise_cells_is_told_so_and_no_hidden_check_code_is_shown()
    {
        var batch = await s_batch.Value;
        var grade = batch.ByName["no-exercises.ipynb"];
        Assert.Equal(0, grade["earned"]!.GetValue<int>());
        Assert.Contains("no exercise cell 00.1", Exercise(grade, "00.1")["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("no exercise cell 00.2", Exercise(grade, "00.2")["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("x4", grade.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("CS0103", grade.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_notebook_with_too_many_code_cells_is_refused_before_any_cell_is_compiled()
    {
        var grade = await Graded("many-cells.ipynb");
        Assert.Equal(0, grade["earned"]!.GetValue<int>());
        Assert.Contains($"the grader takes at most {Grader.MaxCodeCells}", Problems(grade), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lesson-number.ipynb", "metadata.backprop.lesson")]
    [InlineData("source-number.ipynb", "is not text")]
    [InlineData("source-mixed.ipynb", "is not text")]
    public async Task Broken_json_is_a_problem_of_that_submission_and_the_batch_goes_on(string name, string problem)
    {
        var batch = await s_batch.Value;
        Assert.Equal(1, batch.Exit);
        Assert.Equal(17, batch.ByName.Count);
        Assert.Contains(problem, Problems(batch.ByName[name]), StringComparison.Ordinal);
        Assert.All(batch.ByName.Values, g => Assert.Matches("^[0-9a-f]{64}$", g["sha256"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Killing_the_grader_leaves_no_kernel_behind()
    {
        var kit = EngineFixture.Shared;
        var folder = Path.Combine(kit.Scratch, "orphan");
        Directory.CreateDirectory(folder);
        // A loop the cell check allows (Thread.Sleep it refuses, and then the grade ends before the kernel could be watched).
        Write(folder, "slow.ipynb", new() { ["00.1"] = "// EXERCISE 00.1 (1 point)\n" + StubWithBias + " => x;\nfor (long i = 0; i >= 0; i++) { }" });
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
        Assert.False(grader.HasExited, "the grader should still be grading the endless cell");
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
        var submissions = Directory.GetFiles(batch.Folder, "*.ipynb").Where(f => !s_run.Contains(Path.GetFileNameWithoutExtension(f))).Order(StringComparer.Ordinal).ToList();
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
