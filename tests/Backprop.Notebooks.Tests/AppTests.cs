using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Backprop.Course;
using Xunit.Abstractions;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// Every lesson as a C# file-based app: the exporter's translations and rules (Roslyn only, fast), every lesson's app
/// compiles, and lesson apps run with `dotnet run` print what the notebook run printed.
/// </summary>
[Collection("notebooks")]
public sealed partial class AppTests(ITestOutputHelper output)
{
    /// <summary>Every lesson: CI runs each as an app with `dotnet run` and compares what it printed with the notebook run.</summary>
    private static readonly string[] s_ranInCi = [.. Directory.GetFiles(EngineFixture.Shared.NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal).Select(Path.GetFileName).OfType<string>()];

    private static readonly Lazy<AppExporter> s_exporter = new(() => new AppExporter(EngineFixture.Shared.Root));

    private readonly EngineFixture kit = EngineFixture.Shared;

    [Fact]
    public void Exporter_translates_shadowing_hoisting_display_and_html_and_the_app_compiles()
    {
        var notebook = Synthetic(
            "var n = 3;\nint Twice(int v) => 2 * v;\nConsole.WriteLine(Twice(n));",
            "var n = \"again\";   // a second n: the notebook's shadowing\nConsole.WriteLine(n + Twice(4));",
            "var (a, b) = (1, 2.5);\nint[] moments = { 0, 10 };\nTrainingHistory? later;\nConsole.WriteLine(a + b + moments[1]);",
            "foreach (var h in new[] { Activation.Tanh }) display(Charts.FunctionAndDerivative(h, -1, 1));",
            "HTML(\"<b>table</b>\")",
            "Charts.FunctionAndDerivative(Activation.Logistic, -2, 2)");

        var app = s_exporter.Value.Export(notebook, Path.Combine(kit.Root, "artifacts", "apps", "synthetic.cs"), kit.NotebooksFolder);

        Assert.Contains("private int n;", app, StringComparison.Ordinal);
        Assert.Contains("private string n_cell", app, StringComparison.Ordinal);           // the second n has a name of its own
        Assert.Contains("Console.WriteLine(n_cell", app, StringComparison.Ordinal);        // and its use binds to it
        Assert.Contains("Console.WriteLine(Twice(n));", app, StringComparison.Ordinal);     // the first cell keeps the first n
        Assert.Contains("(a, b) = (1, 2.5);", app, StringComparison.Ordinal);
        Assert.Contains("moments = new int[] { 0, 10 };", app, StringComparison.Ordinal);
        Assert.Contains("private TrainingHistory? later", app, StringComparison.Ordinal);
        Assert.Contains("LessonApp.Display(Charts.FunctionAndDerivative(h, -1, 1));", app, StringComparison.Ordinal);
        Assert.Contains("LessonApp.Display(LessonApp.Html(\"<b>table</b>\"));", app, StringComparison.Ordinal);
        Assert.Contains("LessonApp.Display(Charts.FunctionAndDerivative(Activation.Logistic, -2, 2));", app, StringComparison.Ordinal);
        Assert.Contains("#:project ../../lib/Backprop.Lessons/Backprop.Lessons.csproj", app, StringComparison.Ordinal);
        Assert.Matches(@"#:package MathNet\.Numerics@\d+\.\d+\.\d+", app);
        Assert.Contains("global::Backprop.Lessons.NotebookSupport.Install();", app, StringComparison.Ordinal);
        Assert.DoesNotContain("#load", app, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#r \"nuget: Newtonsoft.Json, 13.0.3\"\nConsole.WriteLine(1);", "`#r` loads code")]
    [InlineData("#!fsharp\nprintfn \"hi\"", "`#!fsharp` loads code")]
    [InlineData("var answer = 6 * 7;\nanswer", "of type int, whose value only a notebook shows")]
    [InlineData("display(\"some text\");", "of type string, whose value only a notebook shows")]
    [InlineData("Console.WriteLine(Microsoft.DotNet.Interactive.Kernel.Root.Name);", "the notebook engine's")]
    [InlineData("int x = \"forty-two\";", "does not compile (line 1: CS0029")]
    [InlineData("var pair = new { A = 1 };", "anonymous type")]
    [InlineData("void Cell07() { }", "a name the lesson app uses itself")]
    public void Exporter_refuses_what_an_app_cannot_do_naming_the_cell(string code, string message)
    {
        var notebook = Synthetic("Console.WriteLine(\"fine\");", code);

        var e = Assert.Throws<CourseException>(() => s_exporter.Value.Export(notebook, Path.Combine(kit.Root, "artifacts", "apps", "synthetic.cs"), kit.NotebooksFolder));

        Assert.Contains("synthetic.ipynb, cell 5", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_setup_cell_with_more_than_the_kit_setup_is_refused()
    {
        var notebook = Synthetic("Console.WriteLine(\"fine\");");
        var cells = notebook.Cells.Select(c => c.Copy()).ToList();
        cells[1].Source += "\nvar extra = 1;";

        var e = Assert.Throws<CourseException>(() => s_exporter.Value.Export(notebook.WithCells(cells), Path.Combine(kit.Root, "artifacts", "apps", "synthetic.cs"), kit.NotebooksFolder));

        Assert.Contains("cell 2 (SETUP 1/2): a setup cell holds only the kit's setup lines", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_lesson_exports_to_an_app_that_compiles_and_the_student_release_holds_every_app_with_its_stubs()
    {
        var clock = Stopwatch.StartNew();
        var apps = s_exporter.Value.ExportAll([.. kit.InstructorNotebooks], Path.Combine(kit.Root, "artifacts", "test-apps", "all"), studentVersion: null, TextWriter.Null);
        output.WriteLine($"exported and compiled {apps.Count} apps in {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(kit.InstructorNotebooks.Count(), apps.Count);
        foreach (var notebook in kit.InstructorNotebooks)
        {
            // The release (written by the release verb) has every lesson's app beside its notebooks, pointing at its own kit.
            var text = File.ReadAllText(Path.Combine(kit.ReleaseRoot, "apps", Path.GetFileNameWithoutExtension(notebook) + ".cs"));
            Assert.StartsWith("#:project ../lib/", text, StringComparison.Ordinal);
            Assert.Contains("\"../notebooks\", new Lesson().Cells", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Marker.BeginSolution, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Marker.BeginHiddenChecks, text, StringComparison.Ordinal);
            Assert.Contains("not attempted yet", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Lesson_apps_print_what_the_notebook_run_printed_and_the_student_app_reports_not_attempted_yet()
    {
        var folder = Path.Combine(kit.Root, "artifacts", "test-apps", "run");
        var notebooks = s_ranInCi.Select(n => Path.Combine(kit.NotebooksFolder, n)).ToList();
        var apps = s_exporter.Value.ExportAll(notebooks, folder, studentVersion: null, TextWriter.Null).ToList();
        var studentApp = s_exporter.Value.ExportAll([notebooks[0]], Path.Combine(folder, "student"), studentVersion: Release.ForStudents, TextWriter.Null).Single();
        var clock = Stopwatch.StartNew();

        // One at a time: in a fresh clone, with two at a time, the student app once left no transcript (cause not found yet).
        var runs = await AppRunner.RunAppsAsync([.. apps, studentApp], TimeSpan.FromMinutes(5), jobs: 1, TextWriter.Null);

        output.WriteLine($"{runs.Count} apps built and run with dotnet run, one at a time, in {clock.Elapsed.TotalSeconds:0.0} s: "
            + string.Join(", ", runs.Select(r => $"{Path.GetFileName(r.App)} {r.Elapsed.TotalSeconds:0.0} s")));
        var problems = new List<string>();
        foreach (var (name, run) in s_ranInCi.Zip(runs))
        {
            if (!run.Succeeded || run.Transcript is null)
            {
                problems.Add($"{name}: the app failed: {run.Problem}\n{string.Join("\n", run.Transcript?.Cells.Where(c => c.Error is not null).Select(c => $"cell {c.Number}: {c.Error}") ?? [])}\n{run.Errors}");
                continue;
            }

            var executed = (await kit.InstructorRunAsync(name)).Executed;
            problems.AddRange(Differences(name, executed, run.Transcript, Path.GetDirectoryName(run.App)!));
        }

        var student = runs[^1];
        Assert.False(student.Succeeded);
        Assert.True(student.Transcript is not null, $"the student app left no transcript: {student.Problem}\n{student.Errors}");
        Assert.All(student.Transcript.Cells, c =>
        {
            if (c.Marker?.StartsWith("CHECK", StringComparison.Ordinal) == true)
            {
                Assert.Equal("Failed", c.Status);
                Assert.Contains($"Exercise {c.Marker["CHECK ".Length..]}", c.Error, StringComparison.Ordinal);
                Assert.Contains("not attempted yet", c.Error, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", c.Error, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("Succeeded", c.Status);
            }
        });
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    /// <summary>Where a lesson app's transcript departs from the executed notebook: the cells, their printed text (masked), their charts.</summary>
    internal static IEnumerable<string> Differences(string name, NotebookDocument executed, AppTranscript transcript, string appFolder)
    {
        var notebookCells = executed.Cells.Select((c, i) => (Cell: c, Number: i + 1)).Where(x => x.Cell.IsCode && !string.IsNullOrWhiteSpace(x.Cell.Source)).ToList();
        var numbers = notebookCells.Select(x => x.Number).ToList();
        if (!numbers.SequenceEqual(transcript.Cells.Select(c => c.Number)))
        {
            yield return $"{name}: the app ran cells {string.Join(", ", transcript.Cells.Select(c => c.Number))}, the notebook has code cells {string.Join(", ", numbers)}";
            yield break;
        }

        foreach (var ((cell, number), app) in notebookCells.Zip(transcript.Cells))
        {
            var printed = Printed(cell.Json);
            if (Masked(printed) != Masked(app.Output))
            {
                yield return $"{name}, cell {number}: the notebook printed\n{printed}\nthe app printed\n{app.Output}";
            }

            var shown = Shown(cell.Json);
            if (shown != app.Charts.Count)
            {
                yield return $"{name}, cell {number}: the notebook shows {shown} chart(s) or table(s), the app wrote {app.Charts.Count}";
            }

            foreach (var page in app.Charts.Select(c => Path.Combine(appFolder, c)))
            {
                var html = File.Exists(page) ? File.ReadAllText(page) : "";
                if (!html.Contains("<script src=\"plotly-2.28.0.min.js\"></script>", StringComparison.Ordinal) || html.Contains("cdn", StringComparison.OrdinalIgnoreCase))
                {
                    yield return $"{name}, cell {number}: {page} is missing or does not load plotly.js from beside it";
                }
            }
        }
    }

    /// <summary>The text a cell printed in the notebook run: its stdout stream outputs.</summary>
    internal static string Printed(JsonObject cell) => string.Concat((cell["outputs"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout")
        .SelectMany(o => o["text"] is JsonArray lines ? lines.Select(l => (string?)l ?? "") : [(string?)o["text"] ?? ""]));

    /// <summary>How many charts and HTML results a cell shows in the notebook run.</summary>
    internal static int Shown(JsonObject cell) => (cell["outputs"] as JsonArray ?? [])
        .OfType<JsonObject>().Count(o => (string?)o["output_type"] is "execute_result" or "display_data");

    /// <summary>
    /// The printed text with what differs from run to run masked: in a cell that prints a time (a number with ms, s, µs),
    /// every number with the spaces before it (ratios of times are times too, and a longer time pads less); and the folder an assembly was loaded from (artifacts/kit/ in the
    /// notebook, the app's build folder in the app).
    /// </summary>
    internal static string Masked(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
        text = LoadedFrom().Replace(text, "from …/");
        return Timing().IsMatch(text) ? Number().Replace(text, " #") : text;
    }

    [GeneratedRegex(@"\d\s*(ms|s|µs|us|ns|min)\b")]
    private static partial Regex Timing();

    [GeneratedRegex(@"[ \t]*[-+]?\d+([.,]\d+)*(E[-+]?\d+)?", RegexOptions.IgnoreCase)]
    private static partial Regex Number();

    [GeneratedRegex(@"from [^\s/]+/$", RegexOptions.Multiline)]
    private static partial Regex LoadedFrom();

    /// <summary>Lesson 00's metadata and setup cells, then one code cell per <paramref name="sources"/> (cell numbers 4, 5, …).</summary>
    private NotebookDocument Synthetic(params string[] sources)
    {
        var lesson = NotebookDocument.Load(kit.InstructorNotebooks.First());
        var setup = lesson.Cells.Where(c => c.Marker?.Kind == MarkerKind.Setup).Select(c => c.Copy()).ToList();
        var markdown = lesson.Cells.First(c => !c.IsCode).Copy();
        var cells = new List<NotebookCell> { markdown };
        cells.AddRange(setup);
        foreach (var source in sources)
        {
            var cell = setup[0].Copy();
            cell.Source = source;
            cells.Add(cell);
        }

        return lesson.WithCells(cells, "synthetic.ipynb");
    }
}
