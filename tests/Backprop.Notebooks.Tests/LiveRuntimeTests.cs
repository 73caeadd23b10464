using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The live book's runtime (lib/Backprop.Book) in headless Chromium: published once, served on 127.0.0.1, driven
/// through book-runtime.js exactly as the page drives it (startRuntime, ready, run, stop). One session for the class:
/// each test declares its own names, so the order of the tests does not matter.
/// </summary>
public sealed class LiveRuntimeTests(LiveRuntimeTests.Fixture live, ITestOutputHelper output) : IClassFixture<LiveRuntimeTests.Fixture>
{
    /// <summary>A run's result as the contract names it.</summary>
    public sealed record Output(string Type, string? Text, string? Html);

    /// <summary>A run's result as the contract names it.</summary>
    public sealed record Result(bool Ok, bool? Stopped, string Text, Output[] Outputs, double Ms);

    [Fact]
    public void Ready_resolves_in_the_worker()
    {
        output.WriteLine($"ready after {live.ReadyMs:F0} ms; statuses: {string.Join(" | ", live.Statuses)}");
        Assert.Contains("ready", live.Statuses);
    }

    [Fact]
    public async Task A_later_cell_sees_the_variables_and_methods_of_earlier_cells()
    {
        var first = await live.Run("var shared = 20;\nint Twice(int n) => 2 * n;\nConsole.WriteLine(\"declared\");");
        Assert.True(first.Ok, first.Text);
        Assert.Equal("declared\n", first.Text);
        var second = await live.Run("Console.WriteLine(Twice(shared) + 2);");
        Assert.True(second.Ok, second.Text);
        Assert.Equal("42\n", second.Text);
        Assert.Equal([new Output("text", "42\n", null)], second.Outputs);
        var value = await live.Run("Twice(shared) + 1");
        Assert.Equal([new Output("text", "41", null)], value.Outputs);
        output.WriteLine($"cells: {first.Ms:F0} ms, {second.Ms:F0} ms, {value.Ms:F0} ms");
    }

    [Fact]
    public async Task The_kit_runs_a_forward_pass_with_MathNet_as_the_notebook_does()
    {
        const string cell = """
            var net = new Core::Mlp(new[] { 2, 3, 2 }, Core::Activation.Tanh, Core::Activation.Identity, seed: 7);
            var x = LA::Vector<double>.Build.Dense(new[] { 0.5, -1.0 });
            var y = net.Forward(x).A(2);
            Console.WriteLine(string.Join(" ", y.Select(v => v.ToString("F6", System.Globalization.CultureInfo.InvariantCulture))));
            """;
        var net = new global::Backprop.Mlp([2, 3, 2], global::Backprop.Activation.Tanh, global::Backprop.Activation.Identity, seed: 7);
        var expected = string.Join(" ", net.Forward(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense([0.5, -1.0])).A(2)
            .Select(v => v.ToString("F6", System.Globalization.CultureInfo.InvariantCulture))) + "\n";
        var result = await live.Run(cell);
        Assert.True(result.Ok, result.Text);
        Assert.Equal(expected, result.Text);
    }

    [Fact]
    public async Task A_chart_of_the_kit_is_an_html_output_with_the_kit_chart_box()
    {
        var shown = await live.Run("display(Charts.FunctionAndDerivative(Activation.Tanh));\nConsole.WriteLine(\"after\");\nHTML(\"<b>table</b>\")");
        Assert.True(shown.Ok, shown.Text);
        Assert.Equal(["html", "text", "html"], shown.Outputs.Select(o => o.Type));
        Assert.StartsWith("<div class=\"backprop-chart\">", shown.Outputs[0].Html, StringComparison.Ordinal);
        Assert.DoesNotContain("backprop-plotly-js", shown.Outputs[0].Html, StringComparison.Ordinal);
        Assert.Equal("after\n", shown.Outputs[1].Text);
        Assert.Equal("<b>table</b>", shown.Outputs[2].Html);
        var last = await live.Run("Charts.FunctionAndDerivative(Activation.Logistic, -6, 6)");
        Assert.StartsWith("<div class=\"backprop-chart\">", Assert.Single(last.Outputs).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compile_error_names_the_cells_own_line_and_the_CS_code_and_leaves_the_session_as_it_was()
    {
        Assert.True((await live.Run("var kept = 5;")).Ok);
        var broken = await live.Run("var a = 1;\nvar b = 2\nConsole.WriteLine(a);");
        Assert.False(broken.Ok);
        Assert.Contains("(2,10): error CS1002: ; expected", broken.Text, StringComparison.Ordinal);
        Assert.Equal("error", Assert.Single(broken.Outputs).Type);
        var after = await live.Run("Console.WriteLine(kept);");
        Assert.Equal("5\n", after.Text);
    }

    [Theory]
    [InlineData("#r \"nuget: Foo\"", "#r")]
    [InlineData("var z = 1;\n#load \"x.csx\"", "#load")]
    [InlineData("#!fsharp\n1", "#!fsharp")]
    public async Task A_directive_is_a_compile_error_naming_it(string cell, string directive)
    {
        var result = await live.Run(cell);
        Assert.False(result.Ok);
        Assert.Contains($"error: {directive} is not available in the browser", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_fails_the_cell_with_its_type_and_message_after_what_it_printed_and_the_session_goes_on()
    {
        var thrown = await live.Run("var before = 3;\nConsole.WriteLine(\"printed first\");\nthrow new InvalidOperationException(\"the message\");");
        Assert.False(thrown.Ok);
        Assert.Null(thrown.Stopped);
        Assert.Equal("printed first\nSystem.InvalidOperationException: the message", thrown.Text);
        Assert.Equal(["text", "error"], thrown.Outputs.Select(o => o.Type));
        Assert.Equal("3\n", (await live.Run("Console.WriteLine(before);")).Text);
    }

    [Fact]
    public async Task Kit_checks_print_the_notebooks_verdicts()
    {
        var native = new StringWriter();
        var console = Console.Out;
        Console.SetOut(native);
        try
        {
            global::Backprop.Coursework.Check.Exercise("99.1", "a sum", () => global::Backprop.Coursework.Check.Close("1 + 1", 2.0, 1.0 + 1.0));
        }
        finally
        {
            Console.SetOut(console);
        }

        var failure = Assert.Throws<global::Backprop.Coursework.ExerciseCheckException>(() =>
            global::Backprop.Coursework.Check.Exercise("99.2", "a product", () => global::Backprop.Coursework.Check.Close("2 · 3", 6.0, 5.0, hint: "multiply, do not add")));

        var passed = await live.Run("Kit::Check.Exercise(\"99.1\", \"a sum\", () => Kit::Check.Close(\"1 + 1\", 2.0, 1.0 + 1.0));");
        Assert.True(passed.Ok, passed.Text);
        Assert.Equal(native.ToString(), passed.Text);
        var failed = await live.Run("Kit::Check.Exercise(\"99.2\", \"a product\", () => Kit::Check.Close(\"2 · 3\", 6.0, 5.0, hint: \"multiply, do not add\"));");
        Assert.False(failed.Ok);
        Assert.Equal(failure.ToString(), failed.Text);
        Assert.Contains("multiply, do not add", failed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heavy_cell_2000_forward_and_backward_passes_of_a_64_30_10_network()
    {
        const string cell = """
            var big = new Core::Mlp(new[] { 64, 30, 10 }, Core::Activation.Tanh, Core::Activation.Identity, seed: 3);
            var bx = LA::Vector<double>.Build.Dense(64, i => i / 64.0);
            var bt = LA::Vector<double>.Build.Dense(10, k => k == 3 ? 1.0 : 0.0);
            var total = 0.0;
            for (int n = 0; n < 2000; n++) { var p = big.Forward(bx); total += big.Backward(p, bt, Core::Loss.HalfSumOfSquares).Delta(2)[0]; }
            Console.WriteLine(total.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            """;
        var net = new global::Backprop.Mlp([64, 30, 10], global::Backprop.Activation.Tanh, global::Backprop.Activation.Identity, seed: 3);
        var x = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(64, i => i / 64.0);
        var t = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(10, k => k == 3 ? 1.0 : 0.0);
        double Loop() // the cell's loop, natively
        {
            var total = 0.0;
            for (var n = 0; n < 2000; n++)
            {
                total += net.Backward(net.Forward(x), t, global::Backprop.Loss.HalfSumOfSquares).Delta(2)[0];
            }

            return total;
        }

        Loop();   // warms the JIT up: only the second loop is timed
        var native = Stopwatch.StartNew();
        var total = Loop();
        native.Stop();

        var result = await live.Run(cell);
        Assert.True(result.Ok, result.Text);
        Assert.Equal(total.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "\n", result.Text);
        output.WriteLine($"heavy cell: {result.Ms:F0} ms in the browser (compile + run); the same loop natively in this process, warmed up: {native.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Stop_ends_an_endless_loop_and_a_new_cell_runs_in_a_fresh_session()
    {
        Assert.True((await live.Run("var beforeStop = 1;")).Ok);
        var clock = Stopwatch.StartNew();
        await live.Page.EvaluateExpressionAsync("window.looping = rt.run('while (true) { }', 'loop').then(r => JSON.stringify(r)); window.queued = rt.run('1', 'q').then(r => JSON.stringify(r)); 0");
        await Task.Delay(1500);
        await live.Page.EvaluateExpressionAsync("rt.stop()");
        var looping = Parse(await live.Page.EvaluateExpressionAsync<string>("window.looping"));
        var queued = Parse(await live.Page.EvaluateExpressionAsync<string>("window.queued"));
        clock.Stop();
        Assert.True(looping.Stopped);
        Assert.False(looping.Ok);
        Assert.Equal("Stopped.", looping.Text);
        Assert.True(queued.Stopped);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stop took {clock.Elapsed}");
        var next = await live.Run("Console.WriteLine(\"alive\");");
        Assert.True(next.Ok, next.Text);
        Assert.Equal("alive\n", next.Text);
        var gone = await live.Run("Console.WriteLine(beforeStop);");
        Assert.False(gone.Ok);
        Assert.Contains("error CS0103", gone.Text, StringComparison.Ordinal);
        output.WriteLine($"first cell after stop (a new worker): {next.Ms:F0} ms");
    }

    [Fact]
    public async Task Stop_before_ready_hands_ready_on_to_the_fresh_worker_and_reset_empties_the_session()
    {
        var json = await live.Page.EvaluateExpressionAsync<string>("""
            (async () => {
              const { startRuntime } = await import("./book-runtime.js");
              const second = startRuntime({ baseUrl: new URL("./", location.href).href });
              await second.stop();
              await second.ready;
              await second.run("var kept = 1;", "a");
              await second.reset();
              return JSON.stringify(await second.run("Console.WriteLine(kept);", "b"));
            })()
            """);
        var afterReset = Parse(json);
        Assert.False(afterReset.Ok);
        Assert.Contains("error CS0103: The name 'kept' does not exist", afterReset.Text, StringComparison.Ordinal);
    }

    private static Result Parse(string json) => JsonSerializer.Deserialize<Result>(json, Fixture.Json)!;

    /// <summary>Publishes lib/Backprop.Book once, serves its wwwroot and a harness page on 127.0.0.1, opens it in Chromium.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        internal static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

        private const string Harness = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>runtime harness</title></head><body>
            <script type="module">
              import { startRuntime } from "./book-runtime.js";
              window.statuses = [];
              const started = performance.now();
              window.rt = startRuntime({ baseUrl: new URL("./", location.href).href, onStatus: (t) => window.statuses.push(t) });
              window.readyState = rt.ready.then(() => ({ ms: performance.now() - started }), (e) => ({ error: e.message }));
            </script></body></html>
            """;

        private readonly HttpListener _listener = new();
        private IBrowser? _browser;

        public IPage Page { get; private set; } = null!;

        public double ReadyMs { get; private set; }

        public string[] Statuses { get; private set; } = [];

        public async Task<Result> Run(string source) =>
            Parse(await Page.EvaluateFunctionAsync<string>("(s) => rt.run(s, 'test').then(r => JSON.stringify(r))", source));

        public async Task InitializeAsync()
        {
            var root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);
            // The course tool's publish (artifacts/book-runtime/, redone only when its inputs changed): the site tests use the same one.
            var site = Backprop.Course.Publishing.BookRuntime.EnsurePublished(root, TextWriter.Null);
            Assert.True(site is not null && File.Exists(Path.Combine(site, "book-runtime.js")), "the runtime's publish has no wwwroot/book-runtime.js");

            var port = FreePort();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(() => Serve(site));

            _browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu"],
                ProtocolTimeout = 300_000,
            });
            Page = await _browser.NewPageAsync();
            await Page.GoToAsync($"http://127.0.0.1:{port}/harness.html");
            var ready = await Page.EvaluateExpressionAsync<JsonElement>("window.readyState");
            Assert.False(ready.TryGetProperty("error", out var error), $"ready rejected: {error}");
            ReadyMs = ready.GetProperty("ms").GetDouble();
            Statuses = await Page.EvaluateExpressionAsync<string[]>("window.statuses");
        }

        public async Task DisposeAsync()
        {
            if (_browser is not null)
            {
                await _browser.DisposeAsync();
            }

            _listener.Close();
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task Serve(string site)
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var response = context.Response;
                var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
                var file = Path.GetFullPath(Path.Combine(site, path));
                byte[]? body = path == "harness.html" ? System.Text.Encoding.UTF8.GetBytes(Harness)
                    : file.StartsWith(site, StringComparison.Ordinal) && File.Exists(file) ? await File.ReadAllBytesAsync(file) : null;
                if (body is null)
                {
                    response.StatusCode = 404;
                    continue;
                }

                response.ContentType = Path.GetExtension(path) switch
                {
                    ".html" => "text/html; charset=utf-8",
                    ".js" or ".mjs" => "text/javascript",
                    ".wasm" => "application/wasm",
                    ".json" => "application/json",
                    _ => "application/octet-stream",
                };
                await response.OutputStream.WriteAsync(body);
            }
        }
    }
}
