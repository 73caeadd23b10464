using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Backprop.Course;

/// <summary>
/// Every chart of executed notebooks as a picture to look at: one offline HTML page per chart (plotly.js inlined from
/// the kit's own Plotly.NET, nothing loaded from the network) at the width VS Code gives a notebook output, and a PNG of
/// it taken by headless Chromium when the machine has one (Debian: <c>apt-get install chromium</c>).
/// </summary>
/// <remarks>
/// A chart that draws in this page draws the same way in the notebook: the page runs the chart's own output HTML (the
/// kit's offline formatter's, without the copy of plotly.js the first chart of a notebook carries), with a stand-in for
/// the require.js loader that Plotly.NET.Interactive's output asked for (notebooks executed before the kit's formatter).
/// </remarks>
internal static partial class ChartPictures
{
    /// <summary>About the width of a notebook output in VS Code beside the editor's margins, in CSS pixels.</summary>
    public const int DefaultWidth = 940;

    /// <summary>One chart written: its page, its picture (null without Chromium) and where it came from.</summary>
    public sealed record Picture(string Notebook, int Cell, int Index, string Page, string? Png);

    /// <summary>Writes a page (and a PNG where Chromium is found) for every chart output of <paramref name="executed"/> into <paramref name="output"/>.</summary>
    public static IReadOnlyList<Picture> Write(IEnumerable<string> executed, string output, string kitFolder, int width, TextWriter progress)
    {
        var plotly = PlotlyJs(kitFolder);
        var chromium = FindChromium();
        if (chromium is null)
        {
            progress.WriteLine("No Chromium found (looked for chromium, chromium-browser, google-chrome on PATH): writing the pages only. Debian: apt-get install chromium.");
        }

        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "plotly.min.js"), plotly);
        var pictures = new List<Picture>();
        foreach (var path in executed)
        {
            var notebook = NotebookDocument.Load(path);
            var lesson = Path.GetFileNameWithoutExtension(path);
            foreach (var (cell, number) in notebook.Cells.Select((c, i) => (c, i + 1)).Where(x => x.c.IsCode))
            {
                var charts = Charts(cell.Json).ToList();
                for (var k = 0; k < charts.Count; k++)
                {
                    var name = $"{lesson}-cell{number:00}-{k + 1}";
                    var page = Path.Combine(output, name + ".html");
                    var height = HeightOf(charts[k]);
                    File.WriteAllText(page, Page($"{lesson}, cell {number}, chart {k + 1}", charts[k], width), new UTF8Encoding(false));
                    string? png = null;
                    if (chromium is not null)
                    {
                        png = Path.Combine(output, name + ".png");
                        Screenshot(chromium, page, png, width + 20, height + 40);
                    }

                    pictures.Add(new Picture(lesson, number, k + 1, page, png));
                    progress.WriteLine($"{name}: {(png ?? page)}");
                }
            }
        }

        return pictures;
    }

    /// <summary>The chart outputs (HTML that draws with Plotly) of one executed code cell.</summary>
    public static IEnumerable<string> Charts(JsonObject cell)
    {
        if (cell["outputs"] is not JsonArray outputs)
        {
            yield break;
        }

        foreach (var data in outputs.OfType<JsonObject>().Select(o => o["data"]).OfType<JsonObject>())
        {
            var html = data["text/html"] switch
            {
                JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
                JsonValue text => text.GetValue<string>(),
                _ => "",
            };
            if (html.Contains("Plotly.newPlot", StringComparison.Ordinal))
            {
                yield return Site.WithoutInlinePlotly(html);   // the page loads the shared plotly.min.js
            }
        }
    }

    /// <summary>An offline page that draws one chart output at <paramref name="width"/> pixels, the way the notebook does.</summary>
    public static string Page(string title, string chartHtml, int width) => $$"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>{{System.Net.WebUtility.HtmlEncode(title)}}</title>
        <script src="plotly.min.js"></script>
        <script>
          // Plotly.NET.Interactive's output loads plotly.js through require.js from a CDN; here plotly.js is already on the page.
          window.requirejs = function () { };
          window.requirejs.config = function () { return null; };
          window.require = function (modules, ready) { ready(window.Plotly); };
        </script>
        <style>body { margin: 10px; width: {{width}}px; font-family: sans-serif; }</style>
        </head><body>
        {{chartHtml}}
        </body></html>
        """;

    /// <summary>The chart's layout height, or plotly's default of 450 px.</summary>
    private static int HeightOf(string chartHtml) =>
        LayoutHeight().Match(chartHtml) is { Success: true } m && int.TryParse(m.Groups["h"].Value, out var h) ? h : 450;

    /// <summary>plotly.js as Plotly.NET embeds it (the copy its offline HTML uses), read from the kit's Plotly.NET.dll without loading it.</summary>
    internal static string PlotlyJs(string kitFolder)
    {
        var dll = Path.Combine(kitFolder, "Plotly.NET.dll");
        if (!File.Exists(dll))
        {
            throw new CourseException($"{dll}: no such file — build the kit first (dotnet build lib/Backprop.Kit -c Release).");
        }

        using var stream = File.OpenRead(dll);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (metadata.GetString(resource.Name) == WireContract.PlotlyJsResource && resource.Implementation.IsNil)
            {
                var section = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress);
                var reader = section.GetReader((int)resource.Offset, section.Length - (int)resource.Offset);
                var length = reader.ReadInt32();
                return Encoding.UTF8.GetString(reader.ReadBytes(length));
            }
        }

        throw new CourseException($"{dll} has no embedded {WireContract.PlotlyJsResource}: the pinned Plotly.NET version changed.");
    }

    private static string? FindChromium() =>
        new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    private static void Screenshot(string chromium, string page, string png, int width, int height)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=10000", $"--window-size={width},{height}", $"--screenshot={png}", new Uri(page).AbsoluteUri])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new CourseException($"could not start {chromium}.");
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new CourseException($"{chromium} took more than 60 s to draw {page}.");
        }

        if (!File.Exists(png))
        {
            throw new CourseException($"{chromium} wrote no picture of {page} (exit code {process.ExitCode}).");
        }
    }

    [GeneratedRegex("\"height\":(?<h>\\d+)")]
    private static partial Regex LayoutHeight();
}
