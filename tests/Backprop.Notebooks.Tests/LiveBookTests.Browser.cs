using PuppeteerSharp;
using Backprop.Course.Cli;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>book-live.js in headless Chromium: served with the stand-in runtime, and opened from disk.</summary>
public sealed partial class LiveBookTests
{
    /// <summary>A cell as <c>backpropBook.cells()</c> lists it.</summary>
    public sealed record CellInfo(string Id, string Kind, string? Exercise, string Source);

    /// <summary>What <c>run</c> and <c>runAll</c> resolve with.</summary>
    public sealed record RunResult(bool Ok, string Text);

    /// <summary>The downloaded notebook, caught at the link's click.</summary>
    public sealed record Download(string Name, string Text);

    private static Task<IBrowser> LaunchAsync() => Puppeteer.LaunchAsync(new LaunchOptions
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu"],
    });

    /// <summary>A built student site with the stand-in runtime in live/, served on a free port; disposing stops it.</summary>
    private sealed class ServedSite : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;

        public ServedSite(string folder)
        {
            Folder = BuildSite(folder, instructor: false);
            // The stand-in alone in live/: the real runtime's files (its Brotli copies above all) must not answer for it.
            if (Directory.Exists(Path.Combine(Folder, "live")))
            {
                Directory.Delete(Path.Combine(Folder, "live"), recursive: true);
            }

            Directory.CreateDirectory(Path.Combine(Folder, "live"));
            File.WriteAllText(Path.Combine(Folder, "live", BookRuntime.EntryPoint), StandIn);
            Server = SiteServer.Start(Folder, FreePort());
            _serving = Server.ServeAsync(_stop.Token);
        }

        public string Folder { get; }

        public SiteServer Server { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _serving;
            Server.Dispose();
            _stop.Dispose();
            Directory.Delete(Folder, recursive: true);
        }
    }

    internal static async Task<IPage> OpenAsync(IBrowser browser, string url, List<string> errors, int width = 1000)
    {
        var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = 900 });
        page.PageError += (_, e) => { lock (errors) { errors.Add("page error: " + e.Message); } };
        page.Response += (_, e) =>
        {
            if ((int)e.Response.Status >= 400 && !e.Response.Url.EndsWith("/favicon.ico", StringComparison.Ordinal))
            {
                lock (errors) { errors.Add($"{(int)e.Response.Status}: {e.Response.Url}"); }
            }
        };
        page.Console += (_, e) =>
        {
            // A failed load is reported with its address above (the browser's own favicon.ico request is no error).
            if (e.Message.Type == ConsoleType.Error && !e.Message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                lock (errors) { errors.Add("console: " + e.Message.Text); }
            }
        };
        await page.GoToAsync(url, WaitUntilNavigation.Load);
        return page;
    }

    internal static Task<bool> ReadyAsync(IPage page) => page.EvaluateFunctionAsync<bool>("async () => { await window.backpropBook.ready; return true; }");

    internal static Task<CellInfo[]> CellsAsync(IPage page) => page.EvaluateFunctionAsync<CellInfo[]>("() => window.backpropBook.cells()");

    internal static Task<RunResult> RunAsync(IPage page, string id) => page.EvaluateFunctionAsync<RunResult>("id => window.backpropBook.run(id)", id);

    internal static Task SetSourceAsync(IPage page, string id, string text) => page.EvaluateFunctionAsync("(id, text) => window.backpropBook.setSource(id, text)", id, text);

    /// <summary>Clicks "Download .ipynb" and catches the file the link would save (its name and text).</summary>
    internal static Task<Download> DownloadAsync(IPage page) => page.EvaluateFunctionAsync<Download>("""
        () => new Promise(resolve => {
          const create = URL.createObjectURL;
          let blob = null;
          URL.createObjectURL = b => { blob = b; return create.call(URL, b); };
          HTMLAnchorElement.prototype.click = function () { const name = this.download; blob.text().then(text => resolve({ name, text })); };
          document.querySelector('.live-button.download').click();
        })
        """);

    [Fact]
    public async Task Served_with_a_stand_in_runtime_a_page_runs_its_cells_shows_their_outputs_keeps_edits_stops_resets_and_downloads()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} missing: Debian apt-get install chromium (.ci/run installs it).");
        await using var served = new ServedSite(Directory.CreateTempSubdirectory("live-browser-").FullName);
        await using var browser = await LaunchAsync();
        var errors = new List<string>();
        var page = await OpenAsync(browser, served.Server.Url + Lesson + ".html", errors);
        Assert.True(await ReadyAsync(page));
        Assert.StartsWith("Live:", await page.EvaluateExpressionAsync<string>("document.getElementById('live-status').textContent"), StringComparison.Ordinal);

        // cells() lists what the page carries: kinds and exercise ids.
        var cells = await CellsAsync(page);
        var carried = LiveData(Path.Combine(served.Folder, Lesson + ".html"))["cells"]!.AsArray();
        Assert.Equal(carried.Select(c => (c!["id"]!.GetValue<string>(), c["kind"]!.GetValue<string>(), c["exercise"]?.GetValue<string>())), cells.Select(c => (c.Id, c.Kind, c.Exercise)));
        var exercise = cells.First(c => c is { Kind: "exercise", Exercise: "02.1" });
        var check = cells.First(c => c is { Kind: "check", Exercise: "02.1" });
        var lessonCells = cells.Where(c => c.Kind == "code").ToList();

        // setSource + run: the runtime's output under the cell, the editor showing the code that ran.
        var edited = exercise.Source + "\n// my answer";
        await SetSourceAsync(page, exercise.Id, edited);
        var ran = await RunAsync(page, exercise.Id);
        Assert.Equal(new RunResult(true, $"stand-in ran {exercise.Id}: // my answer"), ran);
        Assert.Equal(ran.Text, await page.EvaluateExpressionAsync<string>($"document.querySelector('#{exercise.Id} .live-outputs pre.output').textContent"));
        Assert.Equal(edited, await page.EvaluateExpressionAsync<string>($"document.querySelector('#{exercise.Id} textarea.live-editor').value"));
        Assert.True(await page.EvaluateExpressionAsync<bool>($"document.querySelector('#{exercise.Id} pre.source').hidden"));

        // A failing check: its error under it and the student's verdict in place of the instructor run's badge.
        await SetSourceAsync(page, check.Id, check.Source + "\n// fail");
        var failed = await RunAsync(page, check.Id);
        Assert.False(failed.Ok);
        Assert.Equal($"InvalidOperationException: stand-in failure in {check.Id}", failed.Text);
        Assert.Equal("✘ check 02.1 failed in your run", await page.EvaluateExpressionAsync<string>($"document.querySelector('#{check.Id} .check-result').textContent"));
        Assert.Equal(failed.Text, await page.EvaluateExpressionAsync<string>($"document.querySelector('#{check.Id} .live-outputs pre.output.error').textContent"));

        // An html output goes in with its script run (as a chart draws), in place of the instructor run's output.
        var instructorOutput = $"document.querySelector('#{lessonCells[1].Id} .outputs:not(.live-outputs)')";
        Assert.False(await page.EvaluateExpressionAsync<bool>(instructorOutput + ".hidden"));
        Assert.Equal($"instructor's output of {lessonCells[1].Id.Replace('-', ' ')}\n", await page.EvaluateExpressionAsync<string>(instructorOutput + ".textContent.trim() + '\\n'"));
        await SetSourceAsync(page, lessonCells[1].Id, lessonCells[1].Source + "\n// html");
        Assert.True((await RunAsync(page, lessonCells[1].Id)).Ok);
        Assert.True(await page.EvaluateExpressionAsync<bool>(instructorOutput + ".hidden"));
        Assert.Equal("drawn by its script", await page.EvaluateExpressionAsync<string>($"document.querySelector('#{lessonCells[1].Id} .stand-in-html').textContent"));

        // runAll stops at the first failing cell and resolves with its result.
        var all = await page.EvaluateFunctionAsync<RunResult>("() => window.backpropBook.runAll()");
        Assert.Equal(failed, all);

        // Stop while a cell runs: the running indicator, then the session is empty and the page offers the cells above again.
        var slow = lessonCells[2];
        await SetSourceAsync(page, slow.Id, "// slow");
        await page.EvaluateFunctionAsync("id => { window.slowRun = window.backpropBook.run(id); }", slow.Id);
        await page.WaitForFunctionAsync($"() => /^running… \\d+ s$/.test(document.querySelector('#{slow.Id} .live-running').textContent) && !document.querySelector('#{slow.Id} .live-running').hidden");
        await page.ClickAsync($"#{slow.Id} .live-button.stop");
        Assert.Equal(new RunResult(false, "Stopped."), await page.EvaluateFunctionAsync<RunResult>("() => window.slowRun"));
        Assert.Contains("the session restarted empty", await page.EvaluateExpressionAsync<string>("document.getElementById('live-status').textContent"), StringComparison.Ordinal);
        Assert.StartsWith("Run the ", await page.EvaluateExpressionAsync<string>("document.querySelector('#live-status .run-above').textContent"), StringComparison.Ordinal);
        await SetSourceAsync(page, slow.Id, slow.Source);

        await ScreenshotsAsync(page, "live-02", exercise.Id);

        // The edits survive a reload, and the download carries them into the lesson's notebook.
        await page.ReloadAsync();
        Assert.True(await ReadyAsync(page));
        var reloaded = await CellsAsync(page);
        Assert.Equal(edited, reloaded.Single(c => c.Id == exercise.Id).Source);
        Assert.Equal(edited, await page.EvaluateExpressionAsync<string>($"document.querySelector('#{exercise.Id} textarea.live-editor:not([hidden])').value"));
        var download = await DownloadAsync(page);
        Assert.Equal(Lesson + ".ipynb", download.Name);
        var notebook = NotebookDocument.Parse(download.Text, download.Name);
        Assert.Equal(edited, notebook.Cells[int.Parse(exercise.Id["cell-".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1].Source);

        // reset() gives every cell its original code, forgets the edits and shows the instructor run's outputs and badge again.
        Assert.False((await RunAsync(page, check.Id)).Ok);
        Assert.True((await RunAsync(page, lessonCells[1].Id)).Ok);
        Assert.True(await page.EvaluateExpressionAsync<bool>(instructorOutput + ".hidden"));
        await page.EvaluateFunctionAsync("() => window.backpropBook.reset()");
        Assert.Equal(cells.Select(c => c.Source), (await CellsAsync(page)).Select(c => c.Source));
        Assert.Equal(0, await page.EvaluateExpressionAsync<int>("Object.keys(localStorage).length"));
        Assert.True(await page.EvaluateExpressionAsync<bool>($"document.querySelector('#{exercise.Id} textarea.live-editor').hidden && !document.querySelector('#{exercise.Id} pre.source').hidden"));
        Assert.False(await page.EvaluateExpressionAsync<bool>(instructorOutput + ".hidden"));
        Assert.Equal("✔ check 02.1 passed in the instructor's run", await page.EvaluateExpressionAsync<string>($"document.querySelector('#{check.Id} .check-result').textContent"));
        await page.ReloadAsync();
        Assert.True(await ReadyAsync(page));
        Assert.Equal(cells.Select(c => c.Source), (await CellsAsync(page)).Select(c => c.Source));
        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }

    [Fact]
    public async Task Opened_from_disk_a_page_stays_the_read_only_book_and_says_how_to_get_the_live_one()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} missing: Debian apt-get install chromium (.ci/run installs it).");
        var site = BuildSite(Directory.CreateTempSubdirectory("live-disk-").FullName, instructor: false);
        try
        {
            await using var browser = await LaunchAsync();
            var errors = new List<string>();
            var page = await OpenAsync(browser, new Uri(Path.Combine(site, Lesson + ".html")).AbsoluteUri, errors);
            var line = await page.EvaluateExpressionAsync<string>("document.getElementById('live-status').textContent");
            Assert.Contains(Site.ServeCommand, line, StringComparison.Ordinal);
            Assert.StartsWith("This is the read-only book", line, StringComparison.Ordinal);
            Assert.Equal(0, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('textarea.live-editor, .live-toolbar, .live-controls').length"));
            var why = await page.EvaluateFunctionAsync<string>("() => window.backpropBook.ready.then(() => 'ready', e => e.message)");
            Assert.Contains("served over http(s)", why, StringComparison.Ordinal);
            Assert.True(errors.Count == 0, string.Join("; ", errors));
        }
        finally
        {
            Directory.Delete(site, recursive: true);
        }
    }

    /// <summary>
    /// The download is a notebook <c>validate</c> accepts like one edited in VS Code: lesson 00 with both exercises
    /// answered (the instructor's solutions typed in) passes every public check. Runs the lesson in the engine once.
    /// </summary>
    [Fact]
    public async Task A_downloaded_lesson_with_its_exercises_answered_passes_validate()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} missing: Debian apt-get install chromium (.ci/run installs it).");
        var kit = EngineFixture.Shared;
        const string lesson = "00-start-here";
        await using var served = new ServedSite(Directory.CreateTempSubdirectory("live-validate-").FullName);
        await using var browser = await LaunchAsync();
        var page = await OpenAsync(browser, served.Server.Url + lesson + ".html", []);
        Assert.True(await ReadyAsync(page));
        var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, lesson + ".ipynb"));
        var answered = 0;
        foreach (var cell in (await CellsAsync(page)).Where(c => c.Kind == "exercise"))
        {
            var solution = instructor.Cells.Single(c => c.Marker is { Kind: MarkerKind.Exercise } m && m.Id == cell.Exercise).Source;
            var typed = string.Join("\n", solution.Split('\n').Where(l => !l.Trim().StartsWith(Marker.BeginSolution, StringComparison.Ordinal) && !l.Trim().StartsWith(Marker.EndSolution, StringComparison.Ordinal)));
            await SetSourceAsync(page, cell.Id, typed);
            answered++;
        }

        Assert.Equal(2, answered);
        var download = await DownloadAsync(page);
        var file = Path.Combine(kit.Scratch, "live-download-" + Guid.NewGuid().ToString("N")[..8], download.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, download.Text);
        var report = new StringWriter();
        var exit = await Program.RunAsync(["validate", file], kit.Root, report, report);
        output.WriteLine(report.ToString());
        Assert.True(exit == 0, report.ToString());
        Assert.Contains("all public checks passed", report.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Screenshots of the page as it is at 1000 and 390 px, into $BACKPROP_LIVE_SCREENSHOTS (or the temp folder).</summary>
    private async Task ScreenshotsAsync(IPage page, string name, string cellId)
    {
        var folder = Environment.GetEnvironmentVariable("BACKPROP_LIVE_SCREENSHOTS") is { Length: > 0 } f ? Path.GetFullPath(f) : Path.GetTempPath();
        Directory.CreateDirectory(folder);
        foreach (var width in new[] { 1000, 390 })
        {
            await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = 1400 });
            await page.EvaluateExpressionAsync("document.querySelectorAll('textarea.live-editor').forEach(t => t.dispatchEvent(new Event('input')))");
            await page.EvaluateExpressionAsync($"document.getElementById('{cellId}').scrollIntoView()");
            var path = Path.Combine(folder, $"{name}-{width}.png");
            await page.ScreenshotAsync(path);
            Assert.True(await page.EvaluateExpressionAsync<bool>("document.documentElement.scrollWidth <= innerWidth"), $"{name} at {width} px scrolls sideways (screenshot: {path})");
            output.WriteLine($"screenshot: {path}");
        }

        await page.SetViewportAsync(new ViewPortOptions { Width = 1000, Height = 900 });
    }
}
