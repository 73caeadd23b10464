using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PuppeteerSharp;
using Xunit.Abstractions;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The web book (course site) in a real browser, and the charts of the executed notebooks: offline, both. Built from
/// the shared instructor runs (the notebooks' own tests run them once), so it costs a site build and a browser.
/// </summary>
public sealed partial class SiteTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly EngineFixture s_kit = EngineFixture.Shared;

    /// <summary>What one page reports once its scripts ran.</summary>
    private sealed record PageReport(int Charts, int Drawn, int Maths, int Typeset, int Katex, int KatexErrors, string[] RawMaths, int Checks, int Failed);

    private static async Task<IReadOnlyList<string>> ExecutedNotebooksAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var notebook in s_kit.InstructorNotebooks)
        {
            var run = await s_kit.InstructorRunAsync(Path.GetFileName(notebook));
            var path = Path.Combine(folder, Path.GetFileName(notebook));
            run.Executed.Save(path);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>
    /// Every file of the site holds the student version of the lessons: no solution or hidden-check marker, every
    /// exercise's stub, and not one line of an instructor solution or hidden check (the lines long enough to be telling).
    /// </summary>
    private static void AssertNoSolutionOrHiddenCheck(string site)
    {
        var secrets = new List<(string Lesson, string Line)>();
        foreach (var notebook in Directory.GetFiles(s_kit.NotebooksFolder, "*.ipynb"))
        {
            var instructor = NotebookDocument.Load(notebook);
            // A line a student sees anyway (a public check's line repeated in a hidden check, a lesson cell's line) is no secret.
            var visible = string.Join("\n", Release.ForStudents(instructor).Cells.Select(c => c.Source));
            foreach (var cell in instructor.Cells.Where(c => c.IsCode))
            {
                secrets.AddRange(Regions(cell.Source, Marker.BeginSolution, Marker.EndSolution).Concat(Regions(cell.Source, Marker.BeginHiddenChecks, Marker.EndHiddenChecks))
                    .Where(line => line.Length >= 24 && !visible.Contains(line, StringComparison.Ordinal)).Select(line => (Path.GetFileNameWithoutExtension(notebook), line)));
            }
        }

        Assert.NotEmpty(secrets);
        var files = Directory.GetFiles(site, "*.html").Concat(Directory.GetFiles(Path.Combine(site, "notebooks"))).Concat(Directory.GetFiles(Path.Combine(site, "apps"))).ToList();
        Assert.Contains(files, f => f.EndsWith(".cs", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".ipynb", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var decoded = System.Net.WebUtility.HtmlDecode(Regex.Replace(text, "<[^>]+>", ""));
            Assert.DoesNotContain("BEGIN SOLUTION", text, StringComparison.Ordinal);
            Assert.DoesNotContain("BEGIN HIDDEN CHECKS", text, StringComparison.Ordinal);
            var lesson = Path.GetFileNameWithoutExtension(file);
            foreach (var (owner, line) in secrets.Where(x => x.Lesson == lesson))
            {
                var shown = file.EndsWith(".html", StringComparison.Ordinal) ? decoded : text.Replace("\\\"", "\"", StringComparison.Ordinal);
                Assert.False(shown.Contains(line, StringComparison.Ordinal), $"{Path.GetFileName(file)} gives away a line of {owner}'s solutions or hidden checks: {line}");
            }

            if (file.EndsWith(".html", StringComparison.Ordinal) && lesson != "index" && secrets.Any(x => x.Lesson == lesson))
            {
                Assert.Contains("not attempted yet", decoded, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// A public check that only records the answer (06.3: which layer is broken) says so in the book, as in VS Code and
    /// validate: never "passed" (the instructor run's verdict on the instructor's answer) and never the recorded value.
    /// </summary>
    private static void AssertRecordingChecksSayRecordedNotPassed(string site)
    {
        var recording = Directory.GetFiles(s_kit.NotebooksFolder, "*.ipynb")
            .SelectMany(p => Release.ForStudents(NotebookDocument.Load(p)).Cells
                .Where(c => c.Marker?.Kind == MarkerKind.Check && c.Source.Contains("Check.Recorded(", StringComparison.Ordinal))
                .Select(c => (Lesson: Path.GetFileNameWithoutExtension(p), c.Marker!.Id)))
            .ToList();
        Assert.NotEmpty(recording);
        foreach (var (lesson, id) in recording)
        {
            var page = System.Net.WebUtility.HtmlDecode(File.ReadAllText(Path.Combine(site, lesson + ".html")));
            Assert.DoesNotContain($"Exercise {id} passed", page, StringComparison.Ordinal);
            Assert.DoesNotContain($"check {id} passed", page, StringComparison.Ordinal);
            Assert.Contains($"check {id} records, graded later", page, StringComparison.Ordinal);
            Assert.Contains($"Exercise {id}: this check records your answer when you run it; the answer is checked when your lecturer grades.", page, StringComparison.Ordinal);
        }
    }

    /// <summary>The trimmed lines strictly between each <paramref name="begin"/> and <paramref name="end"/> marker line.</summary>
    private static IEnumerable<string> Regions(string source, string begin, string end)
    {
        var inside = false;
        foreach (var line in source.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith(begin, StringComparison.Ordinal))
            {
                inside = true;
            }
            else if (line.StartsWith(end, StringComparison.Ordinal))
            {
                inside = false;
            }
            else if (inside && line.Length > 0)
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// The chart outputs of an executed lesson, as a notebook front end shows them, in Chromium offline: all of them
    /// in order draw (plotly.js rides in the first one); a later chart alone — its first chart's output cleared, then
    /// the cell re-run — draws nothing and, after its 4 s wait, says why and what to do instead of staying blank.
    /// </summary>
    [Theory]
    [InlineData("Lesson 00 shows the map. It has three parts:", "Lesson 00 shows the map.")]
    [InlineData("A rate of 0.5 works. Three runs follow:", "A rate of 0.5 works.")]
    [InlineData("Everything here is one sentence:", "Everything here is one sentence:")]
    [InlineData("No list follows.", "No list follows.")]
    public void A_lesson_card_does_not_end_with_the_sentence_that_introduces_a_list(string paragraph, string card) =>
        Assert.Equal(card, Site.WithoutListLeadIn(paragraph));

    [Fact]
    public async Task Notebook_chart_outputs_draw_offline_and_a_chart_without_plotly_js_says_to_restart_the_kernel()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} missing: Debian apt-get install chromium (.ci/run installs it).");
        var executed = (await s_kit.InstructorRunAsync("12-activation-race.ipynb")).Executed;
        var charts = executed.Cells.Where(c => c.IsCode).SelectMany(c => c.Json["outputs"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(o => o["data"]?["text/html"] is { } h ? Joined(h) : null)
            .Where(h => h is not null && h.Contains("Plotly.newPlot", StringComparison.Ordinal)).Cast<string>().ToList();
        Assert.True(charts.Count >= 2, $"lesson 12 printed {charts.Count} chart(s)");
        Assert.Matches(InlineLibrary(), charts[0]);
        Assert.DoesNotMatch(InlineLibrary(), charts[1]);

        var folder = Directory.CreateTempSubdirectory("chart-outputs-").FullName;
        try
        {
            string Page(string name, IEnumerable<string> outputs)
            {
                var path = Path.Combine(folder, name);
                File.WriteAllText(path, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n{string.Join("\n", outputs.Select(o => $"<div class=\"output\">{o}</div>"))}\n</body></html>");
                return new Uri(path).AbsoluteUri;
            }

            await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=\"MAP * ~NOTFOUND\""],
            });

            await using (var page = await browser.NewPageAsync())
            {
                await page.GoToAsync(Page("all.html", charts));
                await page.WaitForFunctionAsync(
                    $"() => [...document.querySelectorAll('.{WireContract.ChartClass}')].every(c => c.querySelector('.main-svg'))",
                    new WaitForFunctionOptions { Timeout = 20_000 });
                Assert.Equal(charts.Count, await page.EvaluateExpressionAsync<int>($"[...document.querySelectorAll('.{WireContract.ChartClass}')].filter(c => c.querySelector('.main-svg')).length"));
                Assert.Equal(0, await page.EvaluateExpressionAsync<int>("[...document.querySelectorAll('div')].filter(d => d.textContent.startsWith('Waiting for plotly.js')).length"));
            }

            await using (var page = await browser.NewPageAsync())
            {
                await page.GoToAsync(Page("later-alone.html", [charts[1]]));
                await page.WaitForFunctionAsync(
                    "() => [...document.querySelectorAll('div')].some(d => d.textContent.startsWith('Waiting for plotly.js'))",
                    new WaitForFunctionOptions { Timeout = 15_000 });
                var message = await page.EvaluateExpressionAsync<string>("[...document.querySelectorAll('div')].filter(d => d.textContent.startsWith('Waiting for plotly.js')).pop().textContent");
                Assert.Contains("restart the kernel and run the notebook from the top", message, StringComparison.Ordinal);
                Assert.Equal(0, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.main-svg').length"));
                Assert.False(await page.EvaluateExpressionAsync<bool>("typeof window.Plotly !== 'undefined'"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task No_executed_notebook_output_references_a_cdn_or_an_http_script_and_plotly_js_travels_once_per_notebook()
    {
        var plotly = Course.Kit.PlotlyJs(Course.Kit.OutputDirectory(s_kit.Root));
        foreach (var notebook in s_kit.InstructorNotebooks)
        {
            var executed = (await s_kit.InstructorRunAsync(Path.GetFileName(notebook))).Executed;
            var outputs = executed.Cells.Where(c => c.IsCode).SelectMany(c => c.Json["outputs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var texts = outputs.Select(o => o.ToJsonString()).ToList();
            var charts = outputs.Count(o => (o["data"]?["text/html"] is { } h) && Joined(h).Contains("Plotly.newPlot", StringComparison.Ordinal));
            var withLibrary = 0;
            foreach (var output in outputs)
            {
                foreach (var (mime, value) in output["data"] as JsonObject ?? [])
                {
                    var text = Joined(value!);
                    var library = InlineLibrary().Match(text);
                    if (library.Success)
                    {
                        withLibrary++;
                        Assert.Equal(plotly, library.Groups["js"].Value);   // the kit's own copy, not one fetched from anywhere
                        text = text.Remove(library.Index, library.Length);
                    }

                    Assert.DoesNotMatch(@"https?://|//cdn|cdn\.|require\.js|requirejs", text);
                    Assert.False(mime == "text/html" && Regex.IsMatch(text, @"<script[^>]+src="), $"{executed.Name}: an output loads a script: {text[..Math.Min(200, text.Length)]}");
                }
            }

            Assert.Equal(charts > 0 ? 1 : 0, withLibrary);
            output.WriteLine($"{executed.Name}: {charts} chart(s), plotly.js inline {withLibrary} time(s), {texts.Count} output(s) without a CDN");
        }
    }

    [Fact]
    public async Task Every_page_of_the_site_opens_offline_in_chromium_with_its_charts_drawn_its_maths_typeset_no_request_and_no_console_error()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} missing: Debian apt-get install chromium (.ci/run installs it).");
        var scratch = Directory.CreateTempSubdirectory("site-test-").FullName;
        // Full-page screenshots to look at, when asked for (they cost seconds per long page).
        var screenshots = Environment.GetEnvironmentVariable("BACKPROP_SITE_SCREENSHOTS") is { Length: > 0 } folder ? Path.GetFullPath(folder) : null;
        if (screenshots is not null)
        {
            Directory.CreateDirectory(screenshots);
        }

        try
        {
            var executed = await ExecutedNotebooksAsync(Path.Combine(scratch, "executed"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var site = Path.Combine(scratch, "site");
            var pages = Site.Write(executed, site, s_kit.Root, TextWriter.Null);
            var built = clock.Elapsed;
            Assert.Equal(executed.Count, pages.Count);
            // Nothing a page loads is off the machine (a lesson's hyperlink to a web page is the reader's choice, not a load).
            Assert.All(Directory.GetFiles(site, "*.html"), page => Assert.DoesNotMatch(@"(<(script|img|iframe|source|embed|audio|video)\b[^>]*\ssrc|<link\b[^>]*\shref)=""(https?:)?//", File.ReadAllText(page)));
            // A lecturer publishes the book to students: no page, notebook or app in it gives a solution or a hidden check away.
            AssertNoSolutionOrHiddenCheck(site);
            AssertRecordingChecksSayRecordedNotPassed(site);
            // The book shows the instructor's run under the students' stubs: a check's green badge says whose run passed.
            Assert.All(pages, p => Assert.DoesNotMatch(@"check [0-9.]+ passed</span>", File.ReadAllText(p.Path)));
            Assert.Contains(pages, p => Regex.IsMatch(File.ReadAllText(p.Path), @"title=""[^""]*stub[^""]*"">✔ check [0-9.]+ passed in the instructor's run</span>"));
            // A check's code is folded (the lecturer's, like the setup cells); its verdict stays in the cell's head, outside the fold.
            Assert.All(pages, p => Assert.Equal(
                Regex.Matches(File.ReadAllText(p.Path), @"<section class=""cell code check""").Count,
                Regex.Matches(File.ReadAllText(p.Path), @"</div>\n<details class=""check-code""><summary>The check's code \(\d+ lines\)</summary>\n<pre class=""source"">").Count));

            // PuppeteerSharp joins the arguments into one command line: the resolver rule's value is quoted.
            await using var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=\"MAP * ~NOTFOUND\""],
            });
            var totals = (Pages: 0, Charts: 0, Maths: 0);
            foreach (var file in new[] { Path.Combine(site, "index.html") }.Concat(pages.Select(p => p.Path)))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                await using var page = await browser.NewPageAsync();
                await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
                var left = new List<string>();
                var errors = new List<string>();
                await page.SetRequestInterceptionAsync(true);
                page.Request += async (_, e) =>
                {
                    var url = e.Request.Url;
                    if (url.StartsWith("file://", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal))
                    {
                        await e.Request.ContinueAsync();
                    }
                    else
                    {
                        lock (left)
                        {
                            left.Add(url);
                        }

                        await e.Request.AbortAsync();
                    }
                };
                page.Console += (_, e) =>
                {
                    if (e.Message.Type is ConsoleType.Error or ConsoleType.Warning)
                    {
                        lock (errors)
                        {
                            errors.Add($"console {e.Message.Type}: {e.Message.Text}");
                        }
                    }
                };
                page.PageError += (_, e) =>
                {
                    lock (errors)
                    {
                        errors.Add($"page error: {e.Message}");
                    }
                };
                page.RequestFailed += (_, e) =>
                {
                    lock (errors)
                    {
                        errors.Add($"request failed: {e.Request.Url}");
                    }
                };

                await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
                await page.WaitForFunctionAsync(
                    $"() => [...document.querySelectorAll('.{WireContract.ChartClass}')].every(c => c.querySelector('.main-svg'))",
                    new WaitForFunctionOptions { Timeout = 20_000 });
                var report = await page.EvaluateFunctionAsync<PageReport>(Probe);
                if (screenshots is not null)
                {
                    await page.ScreenshotAsync(Path.Combine(screenshots, name + ".png"), new ScreenshotOptions { FullPage = true });
                }

                // A laptop's window and a phone's: every chart, table, output and code block fits the column (or scrolls inside it).
                await page.EvaluateExpressionAsync("document.querySelectorAll('details').forEach(d => d.open = true)");
                foreach (var width in new[] { 1000, 390 })
                {
                    var tooWide = await TooWideAsync(page, width, Path.Combine(screenshots ?? scratch, $"{name}-{width}.png"));
                    Assert.True(tooWide.Length == 0, $"{name} at {width} px: {string.Join("; ", tooWide)} (screenshot: {KeptScreenshot(screenshots, scratch, name, width)})");
                }

                var expected = pages.FirstOrDefault(p => p.Path == file);
                Assert.True(left.Count == 0, $"{name}: requests left the machine: {string.Join(", ", left)}");
                Assert.True(errors.Count == 0, $"{name}: {string.Join("; ", errors)}");
                Assert.Equal(report.Charts, report.Drawn);
                Assert.Equal(0, report.KatexErrors);
                Assert.Equal(report.Maths, report.Typeset);
                Assert.Equal(report.Maths, report.Katex);
                Assert.True(report.RawMaths.Length == 0, $"{name}: maths left raw: {string.Join(" | ", report.RawMaths)}");
                if (expected is not null)
                {
                    Assert.Equal(expected.Charts, report.Charts);
                    Assert.Equal(expected.Formulas, report.Maths);
                    Assert.Equal(expected.Checks, report.Checks);
                    Assert.Equal(0, report.Failed);
                    Assert.True(report.Maths > 0, $"{name}: no formula at all");
                }

                totals = (totals.Pages + 1, totals.Charts + report.Charts, totals.Maths + report.Maths);
                output.WriteLine($"{name}: {report.Charts} chart(s) drawn, {report.Katex} formula(s) typeset, {report.Checks} check(s) shown");
            }

            Assert.Equal(pages.Count + 1, totals.Pages);
            Assert.True(totals.Charts > 0, "the lessons draw charts");
            output.WriteLine($"site built in {built.TotalSeconds:F1} s; {totals.Pages} page(s), {totals.Charts} chart(s), {totals.Maths} formula(s) checked in {clock.Elapsed.TotalSeconds:F1} s" + (screenshots is null ? "" : $"; screenshots in {screenshots}"));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// Sets the window <paramref name="width"/> px wide, waits (up to 5 s) for the charts to follow, screenshots the whole
    /// page into <paramref name="screenshot"/> and returns what does not fit (<see cref="Fit"/>): nothing when all is well.
    /// </summary>
    private static async Task<string[]> TooWideAsync(IPage page, int width, string screenshot)
    {
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = 900 });
        try
        {
            await page.WaitForFunctionAsync($"() => ({Fit})().length === 0", new WaitForFunctionOptions { Timeout = 5_000 });
            await Task.Delay(300);   // the charts' second draw (legend and titles for the width) settles
        }
        catch (WaitTaskTimeoutException)
        {
        }

        await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
        return await page.EvaluateFunctionAsync<string[]>(Fit);
    }

    /// <summary>Where the screenshot of a page that does not fit stays after the test (the scratch folder is deleted).</summary>
    private static string KeptScreenshot(string? screenshots, string scratch, string name, int width)
    {
        var file = $"{name}-{width}.png";
        if (screenshots is not null)
        {
            return Path.Combine(screenshots, file);
        }

        var kept = Path.Combine(Path.GetTempPath(), "backprop-site-" + file);
        File.Copy(Path.Combine(scratch, file), kept, overwrite: true);
        return kept;
    }

    /// <summary>
    /// What is wider than the lesson's column, in the page as drawn: a chart (its box or its plot) not inside the column,
    /// a table, output, code block or display formula neither inside it nor inside a sideways-scrolling box that is; on a
    /// phone, a chart whose panels stand side by side; and the page itself scrolling sideways (naming the elements that stick out).
    /// </summary>
    private const string Fit = """
        () => {
          const main = document.querySelector('main');
          const style = getComputedStyle(main);
          const box = main.getBoundingClientRect();
          const left = box.left + parseFloat(style.paddingLeft) - 1, right = box.right - parseFloat(style.paddingRight) + 1;
          const inside = r => r.left >= left && r.right <= right;
          const scroller = e => {
            for (let a = e; a && a !== main; a = a.parentElement) {
              if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX)) { return a; }
            }
            return null;
          };
          const wide = new Set();
          for (const e of main.querySelectorAll('.backprop-chart, .js-plotly-plot, .main-svg, table, pre, .katex-display')) {
            const r = e.getBoundingClientRect();
            const chart = e.matches('.backprop-chart, .js-plotly-plot, .main-svg');
            const s = chart ? null : scroller(e);
            if (r.width === 0 || inside(r) || (s && inside(s.getBoundingClientRect()))) { continue; }
            const cell = e.closest('.cell');
            wide.add(`${chart ? 'chart' : e.tagName.toLowerCase()} in ${cell ? cell.id || cell.className : 'the page'}: ${Math.round(r.width)} px wide at ${Math.round(r.left)}..${Math.round(r.right)} px, column ${Math.round(left)}..${Math.round(right)} px`);
          }
          if (innerWidth < 560) {
            // On a phone, panels side by side leave each a sliver of the column: the book stacks them.
            for (const plot of main.querySelectorAll('.js-plotly-plot')) {
              const panels = [...plot.querySelectorAll('.bglayer .bg')].map(b => b.getBoundingClientRect().width);
              const narrowest = Math.min(...panels);
              if (panels.length > 1 && narrowest < 0.6 * (right - left)) {
                const cell = plot.closest('.cell');
                wide.add(`chart in ${cell ? cell.id : 'the page'}: a panel ${Math.round(narrowest)} px wide, ${panels.length} panels side by side in a ${Math.round(right - left)} px column`);
              }
            }
          }
          if (document.documentElement.scrollWidth > innerWidth) {
            const out = [...document.body.querySelectorAll('*')].filter(e => {
              if (e.getBoundingClientRect().right <= innerWidth + 1) { return false; }
              for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') { return false; }
              }
              return true;
            });
            wide.add(`the page scrolls sideways (${document.documentElement.scrollWidth} px in a ${innerWidth} px window): ` +
              out.slice(0, 3).map(e => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 60)}"`).join(', '));
          }
          return [...wide];
        }
        """;

    /// <summary>Counts, in the page as drawn: charts and drawn plots, maths spans and typeset ones, raw TeX left in the text, check badges.</summary>
    private const string Probe = """
        () => {
          const charts = [...document.querySelectorAll('.backprop-chart')];
          const maths = [...document.querySelectorAll('.math')];
          const raw = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
            acceptNode: n => n.parentElement.closest('code, pre, script, style, .katex, .js-plotly-plot') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT
          });
          while (walker.nextNode()) {
            const text = walker.currentNode.textContent;
            const m = text.match(/\$[^$\s][^$]*\$|\\\(|\\\)|\\\[|\\\]|\\[a-zA-Z]{2,}/);
            if (m) { raw.push(text.trim().slice(0, 80)); }
          }
          return {
            charts: charts.length,
            drawn: charts.filter(c => c.querySelector('.main-svg')).length,
            maths: maths.length,
            typeset: maths.filter(m => m.querySelector('.katex')).length,
            katex: document.querySelectorAll('.katex').length,
            katexErrors: document.querySelectorAll('.katex-error').length,
            rawMaths: raw,
            checks: document.querySelectorAll('.check-result').length,
            failed: document.querySelectorAll('.check-result.fail').length,
          };
        }
        """;

    private static string Joined(JsonNode node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value => value.ToString(),
        _ => node.ToJsonString(),
    };

    [GeneratedRegex("""<script type="text/javascript" id="backprop-plotly-js">\(function \(define, module, exports\) \{\n(?<js>[\s\S]*?)\n\}\)\.call\(self\);</script>\n?""")]
    private static partial Regex InlineLibrary();
}
