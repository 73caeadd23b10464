using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Backprop.Course;
using Backprop.Course.Cli;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The page side of the live web book (issue 21): what the pages carry for it, the instructor version, <c>course serve</c>,
/// and book-live.js in headless Chromium against a stand-in runtime (echoes a cell, fails one that says "fail", waits on
/// one that says "slow", shows HTML with a script for one that says "html"). The pages are built from the repository's
/// lessons 00 and 02 as they are (no engine run: no outputs), so this costs a site build and a browser.
/// </summary>
public sealed partial class LiveBookTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Lesson = "02-backpropagation";

    private static readonly string s_root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);

    /// <summary>The stand-in for live/book-runtime.js (the contract's startRuntime), written into the test's site.</summary>
    private const string StandIn = """
        export function startRuntime(options) {
          options.onStatus && options.onStatus("stand-in runtime loading");
          let waiting = null;
          const stopped = { ok: false, stopped: true, text: "Stopped.", outputs: [], ms: 1 };
          return {
            ready: new Promise(r => setTimeout(r, 200)),
            run(source, cellId) {
              if (source.includes("slow")) { return new Promise(r => { waiting = r; }); }
              if (source.includes("fail")) {
                const text = "InvalidOperationException: stand-in failure in " + cellId;
                return Promise.resolve({ ok: false, text, outputs: [{ type: "error", text }], ms: 2 });
              }
              if (source.includes("html")) {
                return Promise.resolve({ ok: true, text: "", ms: 2, outputs: [{ type: "html",
                  html: '<div class="stand-in-html">empty</div><script>document.querySelectorAll(".stand-in-html").forEach(d => d.textContent = "drawn by its script");</script>' }] });
              }
              const text = "stand-in ran " + cellId + ": " + source.split("\n").pop();
              return Promise.resolve({ ok: true, text, outputs: [{ type: "text", text }], ms: 2 });
            },
            stop() { if (waiting) { waiting(stopped); waiting = null; } return Promise.resolve(); },
            reset() { return Promise.resolve(); },
          };
        }
        """;

    private static string[] LessonNotebooks() => [Path.Combine(s_root, "notebooks", "00-start-here.ipynb"), Path.Combine(s_root, "notebooks", Lesson + ".ipynb")];

    /// <summary>
    /// Builds the site of lessons 00 and 02 into <paramref name="folder"/> from copies of the notebooks in which every lesson
    /// cell (no marker) has printed "instructor's output of cell N", as if run (the live outputs must take its place).
    /// </summary>
    private static string BuildSite(string folder, bool instructor)
    {
        Course.Kit.EnsureBuilt(s_root, TextWriter.Null);
        var executed = Directory.CreateDirectory(folder + "-executed").FullName;
        var notebooks = new List<string>();
        foreach (var path in LessonNotebooks())
        {
            var notebook = NotebookDocument.Load(path);
            foreach (var (cell, index) in notebook.Cells.Select((c, i) => (c, i)).Where(x => x.c.IsCode && x.c.Marker is null && x.c.Source.Trim().Length > 0))
            {
                cell.Json["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = new JsonArray($"instructor's output of cell {index + 1}\n") });
            }

            notebooks.Add(Path.Combine(executed, Path.GetFileName(path)));
            notebook.Save(notebooks[^1]);
        }

        Site.Write(notebooks, folder, s_root, TextWriter.Null, instructor);
        Directory.Delete(executed, recursive: true);
        return folder;
    }

    private static JsonObject LiveData(string page)
    {
        var match = Regex.Match(File.ReadAllText(page), $"""<script type="application/json" id="{Site.LiveDataId}">(?<json>[^<]*)</script>""");
        Assert.True(match.Success, $"{page}: no live data");
        return JsonNode.Parse(match.Groups["json"].Value)!.AsObject();
    }

    [Fact]
    public void A_page_carries_each_code_cell_s_id_kind_exercise_and_student_source_and_the_student_notebook_as_the_site_writes_it()
    {
        var site = BuildSite(Directory.CreateTempSubdirectory("live-pages-").FullName, instructor: false);
        try
        {
            var data = LiveData(Path.Combine(site, Lesson + ".html"));
            Assert.Equal(Lesson, data["lesson"]!.GetValue<string>());
            Assert.Equal("student", data["version"]!.GetValue<string>());
            var cells = data["cells"]!.AsArray().Select(c => c!.AsObject()).ToList();
            Assert.Equal(["setup", "setup"], cells.Take(2).Select(c => c["kind"]!.GetValue<string>()));
            Assert.Equal(["02.1", "02.2", "02.3", "02.4", "02.5"], cells.Where(c => c["kind"]!.GetValue<string>() == "exercise").Select(c => c["exercise"]!.GetValue<string>()));
            Assert.Equal(["02.1", "02.2", "02.3", "02.4", "02.5"], cells.Where(c => c["kind"]!.GetValue<string>() == "check").Select(c => c["exercise"]!.GetValue<string>()));
            Assert.Contains(cells, c => c["kind"]!.GetValue<string>() == "code" && c["exercise"] is null);

            // The notebook is the site's (the release's) student notebook, and each cell's source is its cell's there.
            var notebook = data["notebook"]!.AsObject();
            var written = JsonNode.Parse(File.ReadAllText(Path.Combine(site, "notebooks", Lesson + ".ipynb")))!;
            Assert.True(JsonNode.DeepEquals(written, notebook), "the page's notebook differs from notebooks/" + Lesson + ".ipynb");
            foreach (var cell in cells)
            {
                var index = cell["index"]!.GetValue<int>();
                Assert.Equal($"cell-{index + 1}", cell["id"]!.GetValue<string>());
                Assert.Equal(cell["source"]!.GetValue<string>(), string.Concat(notebook["cells"]![index]!["source"]!.AsArray().Select(l => l!.GetValue<string>())));
            }

            var exercises = cells.Where(c => c["kind"]!.GetValue<string>() == "exercise").Select(c => c["source"]!.GetValue<string>()).ToList();
            Assert.All(exercises, s => Assert.Contains("not attempted yet", s, StringComparison.Ordinal));
            Assert.All(cells, c => Assert.DoesNotContain("BEGIN SOLUTION", c["source"]!.GetValue<string>(), StringComparison.Ordinal));
            Assert.All(cells, c => Assert.DoesNotContain("BEGIN HIDDEN CHECKS", c["source"]!.GetValue<string>(), StringComparison.Ordinal));
            var html = File.ReadAllText(Path.Combine(site, Lesson + ".html"));
            Assert.DoesNotContain(WebUtility.HtmlEncode(Site.InstructorBanner), html, StringComparison.Ordinal);
            Assert.Contains("assets/book-live.js", html, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(site, "assets", "book-live.js")) && File.Exists(Path.Combine(site, "assets", "book-live.css")));
            // Without lib/Backprop.Book (until the runtime lands) the site has no live/ and the page says the live book is not built.
            if (!File.Exists(Path.Combine(s_root, BookRuntime.Project)))
            {
                Assert.False(Directory.Exists(Path.Combine(site, "live")));
                Assert.Contains(WebUtility.HtmlEncode(Site.NotBuiltLine), html, StringComparison.Ordinal);
                Assert.False(data["runtime"]!.GetValue<bool>());
            }
        }
        finally
        {
            Directory.Delete(site, recursive: true);
        }
    }

    [Fact]
    public void The_instructor_version_shows_and_carries_the_solutions_and_hidden_checks_under_a_do_not_publish_banner()
    {
        var site = BuildSite(Directory.CreateTempSubdirectory("live-instructor-").FullName, instructor: true);
        try
        {
            var instructor = NotebookDocument.Load(LessonNotebooks()[1]);
            var page = Path.Combine(site, Lesson + ".html");
            var html = File.ReadAllText(page);
            Assert.Contains($"<div class=\"instructor-banner\" role=\"alert\">{WebUtility.HtmlEncode(Site.InstructorBanner)}</div>", html, StringComparison.Ordinal);
            var data = LiveData(page);
            Assert.Equal("instructor", data["version"]!.GetValue<string>());
            foreach (var cell in data["cells"]!.AsArray().Select(c => c!.AsObject()))
            {
                Assert.Equal(instructor.Cells[cell["index"]!.GetValue<int>()].Source, cell["source"]!.GetValue<string>());
            }

            Assert.Contains(data["cells"]!.AsArray(), c => c!["kind"]!.GetValue<string>() == "exercise" && c["source"]!.GetValue<string>().Contains(Marker.BeginSolution, StringComparison.Ordinal));
            Assert.Contains(data["cells"]!.AsArray(), c => c!["kind"]!.GetValue<string>() == "check" && c["source"]!.GetValue<string>().Contains(Marker.BeginHiddenChecks, StringComparison.Ordinal));
            Assert.Contains("BEGIN SOLUTION", WebUtility.HtmlDecode(Regex.Replace(html, "<[^>]+>", "")), StringComparison.Ordinal);   // shown, not only carried
        }
        finally
        {
            Directory.Delete(site, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_sends_each_file_with_its_content_type_and_refuses_every_path_out_of_the_site()
    {
        var scratch = Directory.CreateTempSubdirectory("live-serve-").FullName;
        try
        {
            var site = Directory.CreateDirectory(Path.Combine(scratch, "site")).FullName;
            File.WriteAllText(Path.Combine(scratch, "secret.txt"), "SECRET outside the site");
            var types = new Dictionary<string, string>
            {
                ["index.html"] = "text/html; charset=utf-8", ["a.js"] = "text/javascript; charset=utf-8", ["live/b.mjs"] = "text/javascript; charset=utf-8",
                ["c.css"] = "text/css; charset=utf-8", ["d.json"] = "application/json; charset=utf-8", ["live/_framework/dotnet.native.wasm"] = "application/wasm",
                ["e.dat"] = "application/octet-stream", ["f.dll"] = "application/octet-stream", ["g.pdb"] = "application/octet-stream",
                ["h.blat"] = "application/octet-stream", ["i.br"] = "application/x-brotli", ["j.ipynb"] = "application/x-ipynb+json",
            };
            foreach (var file in types.Keys)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(site, file))!);
                File.WriteAllText(Path.Combine(site, file), "content of " + file);
            }

            File.CreateSymbolicLink(Path.Combine(site, "link.txt"), Path.Combine(scratch, "secret.txt"));
            File.WriteAllText(Path.Combine(site, "live/_framework/dotnet.native.wasm.br"), "brotli bytes");
            using var server = SiteServer.Start(site, FreePort());
            using var stop = new CancellationTokenSource();
            var serving = server.ServeAsync(stop.Token);
            using var http = new HttpClient();
            foreach (var (file, type) in types)
            {
                using var response = await http.GetAsync(server.Url + file);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(type, response.Content.Headers.ContentType!.ToString());
                Assert.Equal("content of " + file, await response.Content.ReadAsStringAsync());
            }

            Assert.Equal("content of index.html", await http.GetStringAsync(server.Url));
            // The publish's Brotli copy of a file goes to a browser that accepts it, with the file's own type.
            using (var request = new HttpRequestMessage(HttpMethod.Get, server.Url + "live/_framework/dotnet.native.wasm"))
            {
                request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
                using var response = await http.SendAsync(request);
                Assert.Equal("br", Assert.Single(response.Content.Headers.ContentEncoding));
                Assert.Equal("application/wasm", response.Content.Headers.ContentType!.ToString());
                Assert.Equal("brotli bytes", await response.Content.ReadAsStringAsync());
            }

            // A Brotli copy older than its file is stale (the file was replaced after the publish): the file itself goes out.
            File.SetLastWriteTimeUtc(Path.Combine(site, "live/_framework/dotnet.native.wasm.br"), DateTime.UtcNow.AddMinutes(-5));
            using (var request = new HttpRequestMessage(HttpMethod.Get, server.Url + "live/_framework/dotnet.native.wasm"))
            {
                request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
                using var response = await http.SendAsync(request);
                Assert.Empty(response.Content.Headers.ContentEncoding);
                Assert.Equal("content of live/_framework/dotnet.native.wasm", await response.Content.ReadAsStringAsync());
            }

            foreach (var path in new[] { "/../secret.txt", "/live/../../secret.txt", "/%2e%2e/secret.txt", "/live/%2E%2E%2F..%2Fsecret.txt", "/..%5Csecret.txt", "/link.txt", "/missing.js" })
            {
                var answer = await RawGetAsync(server.Port, path);
                Assert.StartsWith("HTTP/1.1 404", answer, StringComparison.Ordinal);
                Assert.DoesNotContain("SECRET", answer, StringComparison.Ordinal);
            }

            await stop.CancelAsync();
            await serving.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_without_a_built_site_names_the_folder_and_the_command_that_builds_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-site-" + Guid.NewGuid().ToString("N"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(2, await Program.RunAsync(["serve", "--site", missing], s_root, stdout, stderr));
        Assert.Contains(missing, stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("dotnet run --project lib/Backprop.Course -- site", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await Program.RunAsync(["serve", "--port", "0"], s_root, stdout, stderr));
        Assert.Contains("--port 0: expected a port number from 1 to 65535.", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_is_published_again_only_when_its_inputs_changed_and_a_failed_publish_names_the_project()
    {
        var root = Directory.CreateTempSubdirectory("live-runtime-").FullName;
        try
        {
            var progress = new StringWriter();
            Assert.Null(BookRuntime.EnsurePublished(root, progress));   // no project: no runtime, nothing run
            var project = Path.Combine(root, BookRuntime.Project);
            Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(project)!, "wwwroot"));
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(project)!, "wwwroot", BookRuntime.EntryPoint), "export function startRuntime() {}\n");
            File.WriteAllText(project, "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>"
                + "<ItemGroup><None Update=\"wwwroot/**\" CopyToPublishDirectory=\"PreserveNewest\" /></ItemGroup></Project>");
            var wwwroot = BookRuntime.EnsurePublished(root, progress);
            Assert.Equal(Path.Combine(BookRuntime.PublishFolder(root), "wwwroot"), wwwroot);
            Assert.True(File.Exists(Path.Combine(wwwroot!, BookRuntime.EntryPoint)), progress.ToString());
            Assert.Contains("publishing the live book's runtime", progress.ToString(), StringComparison.Ordinal);

            progress.GetStringBuilder().Clear();
            Assert.Equal(wwwroot, BookRuntime.EnsurePublished(root, progress));
            Assert.Contains("up to date", progress.ToString(), StringComparison.Ordinal);

            // A changed input publishes again: here into a failure, which names the project.
            File.WriteAllText(project, "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><Target Name=\"Broken\" BeforeTargets=\"Build\"><Error Text=\"the runtime is broken\" /></Target></Project>");
            var failure = Assert.Throws<CourseException>(() => BookRuntime.EnsurePublished(root, TextWriter.Null));
            Assert.Contains($"the live book's runtime {BookRuntime.Project} did not publish", failure.Message, StringComparison.Ordinal);
            Assert.Contains("the runtime is broken", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    internal static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A GET of <paramref name="path"/> exactly as written (an HTTP client would tidy its dots), and the whole answer.</summary>
    private static async Task<string> RawGetAsync(int port, string path)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
