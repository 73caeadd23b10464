using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PuppeteerSharp;
using Xunit.Abstractions;
using Backprop.Course.Cli;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The live web book end to end (issue 21): the real site — built from the engine's run of every lesson, with the runtime
/// the course tool publishes — served on 127.0.0.1 and driven in headless Chromium through <c>window.backpropBook</c>. The
/// instructor version of every lesson runs cell by cell and prints what the notebook printed (timings masked) and shows as
/// many charts; the student version takes one exercise right and one wrong, keeps them over a reload, and its download
/// is graded by <c>grade</c>.
/// </summary>
public sealed partial class LiveLessonTests(LiveLessonTests.Fixture live, ITestOutputHelper output) : IClassFixture<LiveLessonTests.Fixture>
{
    private static readonly string[] s_lessons = [.. Directory.GetFiles(Path.Combine(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), "notebooks"), "*.ipynb")
        .Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Lessons => new(s_lessons);

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task Every_cell_of_the_instructor_version_prints_in_the_browser_what_it_printed_in_the_notebook(string lesson)
    {
        var outcome = await live.OutcomeAsync(lesson);
        output.WriteLine(outcome.Timings);
        Assert.True(outcome.Problems.Count == 0, string.Join("\n\n", outcome.Problems));
        Assert.True(outcome.Errors.Count == 0, string.Join("\n", outcome.Errors));
    }

    /// <summary>What running one lesson's instructor version in the browser found, and how long it took.</summary>
    public sealed record LessonOutcome(IReadOnlyList<string> Problems, IReadOnlyList<string> Errors, string Timings);

    /// <summary>Runs every cell of a lesson's instructor page and compares each with the notebook run.</summary>
    private static async Task<LessonOutcome> RunLessonAsync(Fixture live, string lesson)
    {
        var executed = NotebookDocument.Load(Path.Combine(live.Executed, lesson + ".ipynb"));
        var errors = new List<string>();
        var clock = Stopwatch.StartNew();
        await using var page = await LiveBookTests.OpenAsync(live.Browser, live.Instructor.Url + lesson + ".html", errors);
        Assert.True(await LiveBookTests.ReadyAsync(page));
        var ready = clock.Elapsed;
        var problems = new List<string>();
        var timings = new List<string>();
        foreach (var cell in (await LiveBookTests.CellsAsync(page)).Where(c => c.Kind != "setup"))
        {
            var number = int.Parse(cell.Id["cell-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var notebookCell = executed.Cells[number - 1];
            var started = clock.Elapsed;
            var result = await LiveBookTests.RunAsync(page, cell.Id);
            timings.Add($"{cell.Id} {(clock.Elapsed - started).TotalSeconds:F1} s");
            var printed = AppTests.Printed(notebookCell.Json);
            if (!result.Ok)
            {
                problems.Add($"{lesson}, {cell.Id}: failed in the browser:\n{result.Text}");
            }
            else if (Departure(lesson, notebookCell.Source, printed, result.Text) is { } departure)
            {
                problems.Add($"{lesson}, {cell.Id}: {departure}\nthe notebook printed\n{printed}\nthe browser printed\n{result.Text}");
            }

            var shown = await page.EvaluateFunctionAsync<int>("id => document.querySelectorAll('#' + id + ' .live-outputs .output.chart, #' + id + ' .live-outputs .output.html').length", cell.Id);
            if (shown != AppTests.Shown(notebookCell.Json))
            {
                problems.Add($"{lesson}, {cell.Id}: the notebook shows {AppTests.Shown(notebookCell.Json)} chart(s) or table(s), the browser {shown}");
            }
        }

        return new LessonOutcome(problems, errors, $"{lesson}: ready after {ready.TotalSeconds:F1} s, every cell run after {clock.Elapsed.TotalSeconds:F1} s; {string.Join(", ", timings)}");
    }

    /// <summary>
    /// Cells whose printed numbers the browser cannot repeat digit for digit, found by a piece of their source, with the reason.
    /// The WebAssembly runtime computes exp, tanh and sums with other roundings than the native JIT (no FMA, no SIMD, its own
    /// libm): where a cell prints round-off itself (errors near 1e-10) or a quantity that training amplifies from it, only the
    /// text around the numbers must agree (numbers and sub- and superscript indices masked).
    /// </summary>
    private static readonly (string Lesson, string Source, string Why)[] s_roundOff =
    [
        ("04-tanh-derivative", "max residual on", "the central-difference residual at small ε is round-off"),
        ("06-gradient-checking", "central error   forward error", "the errors at small ε are round-off"),
        ("06-gradient-checking", "GradientChecker.Check(net,", "relative errors near 1e-11 are round-off, and so is the order of the worst entries"),
        ("06-gradient-checking", "var reports = new List<(string Name, GradientCheckReport Report)>()", "relative errors near 1e-10 are round-off"),
        ("06-gradient-checking", "bugReport", "the correct blocks' errors are round-off"),
        ("06-gradient-checking", "GradientChecker.Check(mixed", "relative errors near 1e-10 are round-off"),
        ("07-error-surface", "WeightSpaceSymmetry.PermuteHiddenUnits", "the network is a quasi-Newton fit, whose line searches amplify round-off"),
        ("08-optimisers", "// Who won what", "the conjugate-gradient and quasi-Newton line searches amplify round-off: their losses, pass counts and ranks differ"),
        ("08-optimisers", "TrainingHistory tooLarge;", "how often a line search's loss rose is decided by round-off"),
        ("08-optimisers", "OptimizerRace.OverSeeds", "the line-search optimisers' final losses amplify round-off"),
        ("08-optimisers", "var stuck = new Mlp", "a quasi-Newton fit to a minimum: its last digits are round-off"),
        ("08-optimisers", "var stuckWeights = stuck.GetParameters()", "continues the quasi-Newton fit above"),
        ("07-error-surface", "CurveFunction.Heaviside", "quasi-Newton fits: their losses amplify round-off"),
        ("10-initialisation", "tanhScales", "three epochs on saturated tanh units amplify round-off into the third digit of the loss"),
        ("13-capstone", "sweep", "relative errors near 1e-10 are round-off"),
    ];

    /// <summary>
    /// Cells that print where they run, found by a piece of their source: the browser's text must hold what it prints there.
    /// </summary>
    private static readonly (string Lesson, string Source, string Browser)[] s_environment =
    [
        ("00-start-here", "RuntimeInformation.OSDescription", "on Browser"),
        ("00-start-here", "GetFiles(\".\", \"*.ipynb\")", "No .ipynb files in this folder"),
        ("04-tanh-derivative", "SourceListing.Method", "is not here: open the kit's lib/Backprop folder"),
    ];

    /// <summary>Why the browser's text of a cell departs from the notebook's, or null when it does not (timings masked, as in the app tests).</summary>
    internal static string? Departure(string lesson, string source, string notebook, string browser)
    {
        if (s_environment.FirstOrDefault(e => e.Lesson == lesson && source.Contains(e.Source, StringComparison.Ordinal)) is { Browser: { } expected })
        {
            return browser.Contains(expected, StringComparison.Ordinal) ? null : $"a cell that prints where it runs should say \"{expected}\"";
        }

        if (AppTests.Masked(notebook) == AppTests.Masked(browser))
        {
            return null;
        }

        if (s_roundOff.FirstOrDefault(r => r.Lesson == lesson && source.Contains(r.Source, StringComparison.Ordinal)) is { Why: { } why })
        {
            return Loose(notebook).SequenceEqual(Loose(browser)) ? null : $"the text around the numbers differs ({why}, so only the numbers, and the order of a line's items, may)";
        }

        return "the printed text differs";
    }

    /// <summary>
    /// Each line of the text as its words in order of their text, every number (and "—", a value not reached) and every sub-
    /// and superscript index masked:
    /// a ranking whose items swap places (CG 462 before mini-batch SGD 486, or after it at 519) reads the same.
    /// </summary>
    private static IEnumerable<string> Loose(string text) =>
        IndexOrNumber().Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd(), " #").Split('\n')
            .Select(line => string.Join(' ', line.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)));

    [GeneratedRegex(@"[ \t]*([-+−]?(\d+([.,]\d+)*(E[-+]?\d+)?|[⁽⁾⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉]+)%?|—)", RegexOptions.IgnoreCase)]
    private static partial Regex IndexOrNumber();

    [Fact]
    public async Task A_student_takes_one_exercise_right_and_one_wrong_keeps_them_over_a_reload_and_the_download_is_graded()
    {
        const string lesson = "02-backpropagation";
        var errors = new List<string>();
        await using var page = await LiveBookTests.OpenAsync(live.Browser, live.Student.Url + lesson + ".html", errors);
        Assert.True(await LiveBookTests.ReadyAsync(page));
        var cells = await LiveBookTests.CellsAsync(page);
        var right = cells.Single(c => c.Kind == "exercise" && c.Exercise == "02.1");
        var wrong = cells.Single(c => c.Kind == "exercise" && c.Exercise == "02.2");
        var rightSource = Typed("02.1", "correct-loop.cs");
        var wrongSource = Typed("02.2", "wrong-no-slope.cs");
        await LiveBookTests.SetSourceAsync(page, right.Id, rightSource);
        await LiveBookTests.SetSourceAsync(page, wrong.Id, wrongSource);

        // Run the lesson in order up to the second exercise's check, as a student would.
        var results = new Dictionary<string, LiveBookTests.RunResult>();
        var checkOfWrong = cells.Single(c => c.Kind == "check" && c.Exercise == "02.2");
        foreach (var cell in cells.Where(c => c.Kind != "setup").TakeWhile(c => c != checkOfWrong).Append(checkOfWrong))
        {
            results[cell.Id] = await LiveBookTests.RunAsync(page, cell.Id);
        }

        var passed = results[cells.Single(c => c.Kind == "check" && c.Exercise == "02.1").Id];
        Assert.True(passed.Ok, passed.Text);
        Assert.Contains("✔ Exercise 02.1 passed", passed.Text, StringComparison.Ordinal);
        var failed = results[checkOfWrong.Id];
        Assert.False(failed.Ok, failed.Text);
        Assert.StartsWith("✘ Exercise 02.2", failed.Text.Trim(), StringComparison.Ordinal);
        Assert.Contains(await NativeFailureAsync("02.2", "wrong-no-slope.cs"), failed.Text, StringComparison.Ordinal);   // the notebook's own message
        Assert.Contains("failed in your run", await page.EvaluateFunctionAsync<string>("id => document.querySelector('#' + id + ' .check-result').textContent", checkOfWrong.Id), StringComparison.Ordinal);

        // The student's code is kept over a reload.
        await page.ReloadAsync();
        Assert.True(await LiveBookTests.ReadyAsync(page));
        var reloaded = await LiveBookTests.CellsAsync(page);
        Assert.Equal(rightSource, reloaded.Single(c => c.Id == right.Id).Source);
        Assert.Equal(wrongSource, reloaded.Single(c => c.Id == wrong.Id).Source);

        // The download is a notebook grade accepts: the right exercise earns its points, the wrong one none.
        var download = await LiveBookTests.DownloadAsync(page);
        Assert.Equal(lesson + ".ipynb", download.Name);
        var file = Path.Combine(live.Scratch, "download", lesson + ".ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, download.Text);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        await Program.RunAsync(["grade", file, "--json"], live.Root, stdout, stderr);
        var exercises = JsonNode.Parse(stdout.ToString())!.AsArray().Single()!["exercises"]!.AsArray().ToDictionary(e => e!["id"]!.GetValue<string>());
        Assert.True(exercises["02.1"]!["passed"]!.GetValue<bool>(), exercises["02.1"]!.ToJsonString() + stderr);
        Assert.Equal(exercises["02.1"]!["points"]!.GetValue<int>(), exercises["02.1"]!["earned"]!.GetValue<int>());
        Assert.False(exercises["02.2"]!["passed"]!.GetValue<bool>());
        Assert.Equal(0, exercises["02.2"]!["earned"]!.GetValue<int>());
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>An exercise cell as a student types it: the instructor's cell with a variant's code in place of the solution, no markers.</summary>
    private static string Typed(string id, string variant)
    {
        var instructor = NotebookDocument.Load(Path.Combine(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), "notebooks", "02-backpropagation.ipynb"));
        var exercise = instructor.Cells.Single(c => c.Marker is { Kind: MarkerKind.Exercise } m && m.Id == id).Source;
        var answered = VariantTests.WithSolution(exercise, VariantTests.VariantsOf(id).Single(v => v.Name == variant).Source);
        return string.Join("\n", answered.Split('\n').Where(l => l.Trim() is not (Marker.BeginSolution or Marker.EndSolution)));
    }

    /// <summary>The "✘ Exercise …" line the notebook engine printed for the release's check of <paramref name="id"/> under a wrong variant.</summary>
    private static async Task<string> NativeFailureAsync(string id, string variant)
    {
        var run = await EngineFixture.Shared.LessonRunAsync("02-backpropagation.ipynb");
        var cell = run.Whole.Executed.Cells[run.Variants.Single(v => v.Id == id && v.Variant == variant).PublicCheckCell!.Value - 1];
        var text = string.Concat(cell.Outputs.Select(o => o switch { StreamOutput s => s.Text, ErrorOutput e => e.Value + "\n", _ => "" }));
        return text.Split('\n').First(l => l.StartsWith("✘ Exercise " + id, StringComparison.Ordinal)).Trim();
    }

    /// <summary>The engine's run of every lesson as notebooks, the student and instructor sites built from it, both served, one browser.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _serving = [];

        public string Root { get; } = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);

        public string Scratch { get; } = Directory.CreateTempSubdirectory("live-lessons-").FullName;

        public string Executed => Path.Combine(Scratch, "executed");

        internal SiteServer Student { get; private set; } = null!;

        internal SiteServer Instructor { get; private set; } = null!;

        public IBrowser Browser { get; private set; } = null!;

        private readonly Lazy<Dictionary<string, Task<LessonOutcome>>> _outcomes;

        public Fixture() => _outcomes = new(() =>
        {
            // Two lessons at a time, one per core (each page's runtime is one WebAssembly worker): the first lesson asked for
            // starts them all, so the lessons take about half as long as one after another.
            var gate = new SemaphoreSlim(2);
            return s_lessons.ToDictionary(lesson => lesson, async lesson =>
            {
                await gate.WaitAsync();
                try
                {
                    return await RunLessonAsync(this, lesson);
                }
                finally
                {
                    gate.Release();
                }
            });
        });

        /// <summary>The lesson's outcome, once its run is over (the first call starts every lesson's run).</summary>
        public Task<LessonOutcome> OutcomeAsync(string lesson) => _outcomes.Value[lesson];

        public async Task InitializeAsync()
        {
            var kit = EngineFixture.Shared;
            Directory.CreateDirectory(Executed);
            var executed = new List<string>();
            foreach (var notebook in kit.InstructorNotebooks)
            {
                var run = await kit.InstructorRunAsync(Path.GetFileName(notebook));
                executed.Add(Path.Combine(Executed, Path.GetFileName(notebook)));
                run.Executed.Save(executed[^1]);
            }

            var student = Path.Combine(Scratch, "student");
            var instructor = Path.Combine(Scratch, "instructor");
            Site.Write(executed, student, Root, TextWriter.Null, instructor: false);   // publishes the runtime if its inputs changed
            Site.Write(executed, instructor, Root, TextWriter.Null, instructor: true);
            Student = Serve(student);
            Instructor = Serve(instructor);
            Browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu"],
                ProtocolTimeout = 1_200_000,   // a lesson's longest cell (lesson 12's race) runs minutes in the browser
            });
        }

        private SiteServer Serve(string folder)
        {
            Assert.True(File.Exists(Path.Combine(folder, "live", BookRuntime.EntryPoint)), $"{folder} has no live/{BookRuntime.EntryPoint}");
            var server = SiteServer.Start(folder, LiveBookTests.FreePort());
            _serving.Add(server.ServeAsync(_stop.Token));
            return server;
        }

        public async Task DisposeAsync()
        {
            if (Browser is not null)
            {
                await Browser.DisposeAsync();
            }

            await _stop.CancelAsync();
            await Task.WhenAll(_serving);
            Student?.Dispose();
            Instructor?.Dispose();
            Directory.Delete(Scratch, recursive: true);
        }
    }
}
