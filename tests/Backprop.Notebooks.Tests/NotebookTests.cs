using System.Diagnostics;
using Backprop.Course.Cli;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;
using Backprop.Course.Running;

namespace Backprop.Notebooks.Tests;

/// <summary>Every notebook in the real engine; the student release; the runner's faithfulness.</summary>
[Collection("notebooks")]
public sealed class NotebookTests
{
    private readonly EngineFixture kit = EngineFixture.Shared;

    public static TheoryData<string> Notebooks() =>
        [.. Directory.GetFiles(Path.Combine(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Instructor_notebook_runs_in_the_real_engine_with_every_check_passing(string name)
    {
        var run = await kit.InstructorRunAsync(name);

        var failures = run.Cells.Where(c => c.Status != CellStatus.Succeeded).Select(c => $"cell {c.CellNumber}: {c.Status}: {c.Error}");
        Assert.True(run.Succeeded, string.Join("\n", failures));
        Assert.NotEmpty(run.Checks);
        Assert.All(run.Checks, c => Assert.Equal(CellStatus.Succeeded, c.Status));

        // Every number the lesson's Markdown quotes is one its cells printed (or its code states); no placeholder text.
        var unprinted = MarkdownNumbers.Problems(run.Executed);
        Assert.True(unprinted.Count == 0, $"{name}:\n" + string.Join("\n", unprinted));
    }

    [Fact]
    public async Task Student_release_runs_with_only_the_checks_failing_each_not_attempted_yet()
    {
        var paths = Directory.GetFiles(Path.Combine(kit.ReleaseRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(kit.InstructorNotebooks.Select(Path.GetFileName), paths.Select(Path.GetFileName));
        foreach (var path in paths)
        {
            Assert.DoesNotContain(Marker.BeginSolution, File.ReadAllText(path));
            Assert.DoesNotContain(Marker.BeginHiddenChecks, File.ReadAllText(path));
        }

        // In place, as a student opens it: a release notebook in the release's notebooks/ folder, its own setup cells building
        // and loading the release's kit. Every release notebook has the same setup cells, so lesson 00 stands for them all here.
        static List<string> Setup(string path) => [.. NotebookDocument.Load(path).Cells.Where(c => c.Marker?.Kind == MarkerKind.Setup).Select(c => c.Source)];
        Assert.All(paths, p => Assert.Equal(Setup(paths[0]), Setup(p)));
        var run = await kit.Runner().RunAsync(NotebookDocument.Load(paths[0]), Path.GetDirectoryName(paths[0])!);
        var lessonFailures = run.Cells.Where(c => c.Status != CellStatus.Succeeded && c.Marker?.Kind != MarkerKind.Check);
        Assert.Empty(lessonFailures);
        Assert.NotEmpty(run.Checks);
        Assert.All(run.Checks, c =>
        {
            Assert.Equal(CellStatus.Failed, c.Status);
            NotAttempted(c.Marker!.Id, c.Error);
        });

        // Every release notebook as validate and grade run it (the fixture's runs, one kernel each): no cell but the checks
        // fails (a failed cell is one of a grade's problems), and every check says not attempted yet.
        var graded = (await kit.BothWaysAsync()).Where(g => g.IsRelease).ToList();
        Assert.Equal(paths, graded.Select(g => g.Path));
        foreach (var grade in graded.SelectMany(g => new[] { g.Validate, g.Grade }))
        {
            Assert.True(grade.Problems.Count == 0, $"{grade.Notebook}: {string.Join("; ", grade.Problems)}");
            Assert.NotEmpty(grade.Exercises);
            Assert.All(grade.Exercises, e =>
            {
                Assert.False(e.Passed);
                NotAttempted(e.Id, e.Message);
            });
        }

        static void NotAttempted(string id, string? message)
        {
            Assert.Contains($"Exercise {id}", message);
            Assert.Contains("not attempted yet", message);
            Assert.DoesNotContain("   at ", message);   // no stack trace
        }
    }

    [Fact]
    public void The_release_notebooks_are_the_untouched_copies_validate_grades_against()
    {
        // Validate in a release runs the check cells of .course/checks; the student's notebooks/ start as the same files,
        // so a check the release test sees in validate's and grade's runs is the one the student's notebook holds.
        var notebooks = Path.Combine(kit.ReleaseRoot, "notebooks");
        var checks = Path.Combine(kit.ReleaseRoot, Release.ChecksFolder);
        Assert.Equal(Directory.GetFiles(notebooks, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal), Directory.GetFiles(checks, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Directory.GetFiles(notebooks, "*.ipynb"), p => Assert.Equal(File.ReadAllText(p), File.ReadAllText(Path.Combine(checks, Path.GetFileName(p)))));
    }

    [Fact]
    public async Task Runner_is_faithful_a_chart_without_the_FSharp_Core_fix_and_a_compile_error_both_fail()
    {
        var lesson = NotebookDocument.Load(kit.InstructorNotebooks.First());
        var setup = lesson.Cells.Where(c => c.Marker?.Kind == MarkerKind.Setup).Select(c => c.Copy()).ToList();
        // The generated setup script without its NotebookSupport.Install() line, next to the real one (its #r paths are relative to it).
        var kitFolder = Course.Kit.OutputDirectory(kit.Root);
        var script = File.ReadAllLines(Path.Combine(kitFolder, KitBuild.SetupScript)).Where(l => !l.Contains("NotebookSupport.Install()", StringComparison.Ordinal));
        File.WriteAllLines(Path.Combine(kitFolder, "setup-without-fix.csx"), script);
        setup[1].Source = "#load \"../artifacts/kit/setup-without-fix.csx\"";
        var chart = setup[0].Copy();
        chart.Source = "Charts.FunctionAndDerivative(Activation.Tanh)";
        var compileError = setup[0].Copy();
        compileError.Source = "int answer = \"forty-two\";";
        var fine = setup[0].Copy();
        fine.Source = "Console.WriteLine(1 + 1);";
        var notebook = lesson.WithCells([.. setup, chart, compileError, fine], "faithful.ipynb");

        var run = await kit.Runner().RunAsync(notebook, kit.NotebooksFolder);

        Assert.Equal([CellStatus.Succeeded, CellStatus.Succeeded, CellStatus.Failed, CellStatus.Failed, CellStatus.Succeeded], run.Cells.Select(c => c.Status));
        Assert.Contains("FSharp.Core", run.Cells[2].Error);
        Assert.Contains("CS0029", run.Cells[3].Error);
        Assert.False(run.Succeeded);
    }

    [Fact]
    public async Task Charts_render_as_html_and_a_stuck_cell_is_stopped_while_the_cells_before_it_keep_their_results()
    {
        var notebook = NotebookDocument.Load(kit.InstructorNotebooks.First());
        var setup = notebook.Cells.Where(c => c.Marker?.Kind == MarkerKind.Setup).Select(c => c.Copy()).ToList();
        var first = notebook.Cells.First(c => c.IsCode).Copy();
        var curves = first.Copy();
        curves.Source = """
            Charts.PerLayerBarsByActivation("mean output", new (string, Activation, IReadOnlyList<double>)[] { ("tanh", Activation.Tanh, new[] { 0.1, 0.5, 1.0 }), ("ReLU", Activation.ReLU, new[] { 1.0, 0.8, 0.7 }) })
            """;
        var bars = first.Copy();
        bars.Source = """Charts.PerLayerBarsByActivation("mean |∂L/∂w|", new (string, Activation, IReadOnlyList<double>)[] { ("tanh", Activation.Tanh, new[] { 0.01, 0.1, 1.0 }) }, logScale: true)""";
        var ok = first.Copy();
        ok.Source = "Console.WriteLine(\"before\");";
        var stuck = first.Copy();
        stuck.Source = "while (true) { }";
        var after = first.Copy();
        after.Source = "Console.WriteLine(\"after\");";
        var clock = Stopwatch.StartNew();

        var run = await kit.Runner(cellTimeoutSeconds: 40).RunAsync(notebook.WithCells([.. setup, curves, bars, ok, stuck, after], "stuck.ipynb"), kit.NotebooksFolder);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(150), $"took {clock.Elapsed}");
        Assert.Equal([CellStatus.Succeeded, CellStatus.Succeeded, CellStatus.Succeeded, CellStatus.Succeeded, CellStatus.Succeeded, CellStatus.TimedOut, CellStatus.NotRun], run.Cells.Select(c => c.Status));
        Assert.Contains("before", run.Executed.Cells[4].Json["outputs"]!.ToJsonString(), StringComparison.Ordinal);
        foreach (var cell in run.Executed.Cells.Skip(2).Take(2))
        {
            var html = cell.Json["outputs"]!.AsArray().Single(o => o!["output_type"]!.GetValue<string>() == "execute_result")!["data"]!["text/html"];
            Assert.Contains("Plotly.newPlot", string.Concat(html!.AsArray().Select(l => l!.GetValue<string>())), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_student_type_or_method_named_like_the_kit_cannot_fool_a_check()
    {
        var lesson = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, "01-forward-propagation.ipynb"));
        var setup = lesson.Cells.Where(c => c.Marker?.Kind == MarkerKind.Setup).Select(c => c.Copy()).ToList();
        var check = lesson.Cells.Single(c => c.Marker is { Kind: MarkerKind.Check, Id: "01.4" }).Copy();
        var student = check.Copy();
        student.Source = """
            // EXERCISE 01.4 (1 point)
            int WeightCount(int D, int M, int K) => D * M + M * K;   // wrong: forgot the biases
            static class Check
            {
                public static void Exercise(string id, string title, Action comparisons) => Console.WriteLine($"✔ Exercise {id} passed: {title}");
                public static void Equal<T>(string what, T expected, T actual, string hint = "") { }
            }
            class Kit { public static class Check { public static void Exercise(string id, string title, Action comparisons) { } } }
            class Core { }
            class LA { }
            class Mlp { public Mlp(int[] sizes, object h, object o, int seed) { } public int ParameterCount => 12; }
            void Exercise(string id, string title, Action comparisons) { }
            """;

        var run = await kit.Runner().RunAsync(lesson.WithCells([.. setup, student, check], "shadow.ipynb"), kit.NotebooksFolder);

        Assert.Equal([CellStatus.Succeeded, CellStatus.Succeeded, CellStatus.Succeeded, CellStatus.Failed], run.Cells.Select(c => c.Status));
        Assert.Contains("Exercise 01.4", run.Cells[3].Error, StringComparison.Ordinal);
        Assert.Contains("expected 17, got 12", run.Cells[3].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_command_with_two_kernels_writes_executed_notebooks_in_order_and_exits_non_zero_on_a_failing_notebook()
    {
        var failing = Path.Combine(kit.Scratch, "cli");
        Directory.CreateDirectory(failing);
        var lesson = NotebookDocument.Load(kit.InstructorNotebooks.First());
        var cell = lesson.Cells.First(c => c.IsCode).Copy();
        cell.Source = "throw new InvalidOperationException(\"boom\");";
        var passingCell = cell.Copy();
        passingCell.Source = "Console.WriteLine(6 * 7);";
        var inputs = Path.Combine(kit.Root, "artifacts", "test-inputs");
        var passingPath = Path.Combine(inputs, "a-passing.ipynb");
        var path = Path.Combine(inputs, "failing.ipynb");
        lesson.WithCells([passingCell], "a-passing.ipynb").Save(passingPath);
        lesson.WithCells([cell], "failing.ipynb").Save(path);
        var output = new StringWriter();

        var exit = await Program.RunAsync(["run", passingPath, path, "--output", failing, "--jobs", "2"], kit.Root, output, output);

        var text = output.ToString();
        Assert.Equal(1, exit);
        Assert.Contains("2 kernels at a time", text, StringComparison.Ordinal);
        // One progress line per notebook as it finishes (in whichever order they finish), the summary in the order given.
        Assert.Matches(@"\[[12]/2\] ✘ failing\.ipynb: 1 of 1 code cells failed, checks passed 0/0 \([0-9.]+ s\) · [0-9:]+ elapsed", text);
        Assert.Matches(@"\[[12]/2\] ✔ a-passing\.ipynb: 0 of 1 code cells failed", text);
        Assert.Matches(@"\[1/2\] [^\n]*about [0-9:]+ left", text);
        Assert.Matches(@"\[2/2\] [^\n]*done", text);
        var summary = text[text.IndexOf("Summary", StringComparison.Ordinal)..];
        Assert.True(summary.IndexOf("a-passing.ipynb", StringComparison.Ordinal) < summary.IndexOf("failing.ipynb", StringComparison.Ordinal), summary);
        Assert.Contains("failing.ipynb: 1 of 1 code cells run, 1 failed", text, StringComparison.Ordinal);
        Assert.Contains("boom", text, StringComparison.Ordinal);
        Assert.Contains("1 of 2 notebook(s) failed.", text, StringComparison.Ordinal);
        var executed = NotebookDocument.Load(Path.Combine(failing, "failing.ipynb"));
        Assert.Equal(lesson.Metadata.ToJsonString(), executed.Metadata.ToJsonString());
        Assert.Contains("42", NotebookDocument.Load(Path.Combine(failing, "a-passing.ipynb")).Cells[0].Json.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_command_reports_a_missing_notebook_clearly()
    {
        var output = new StringWriter();
        var exit = await Program.RunAsync(["run", "notebooks/no-such-lesson.ipynb"], kit.Root, output, output);
        Assert.Equal(2, exit);
        Assert.Contains("no-such-lesson.ipynb: no such file", output.ToString(), StringComparison.Ordinal);
    }
}
