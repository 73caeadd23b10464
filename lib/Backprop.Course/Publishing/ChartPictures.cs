using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Publishing;

/// <summary>
/// Every chart of executed notebooks as a picture to look at: one offline HTML page per chart (plotly.js beside it, the
/// kit's copy from its Plotly.NET, nothing loaded from the network) at the width VS Code gives a notebook output, and a PNG of
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
        var plotly = Kit.PlotlyJs(kitFolder);
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
                var charts = ChartHtml.Charts(cell).ToList();
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

    /// <summary>An offline page that draws one chart output at <paramref name="width"/> pixels, the way the notebook does.</summary>
    public static string Page(string title, string chartHtml, int width) => Template.Render("chart-page.html",
        ("title", System.Net.WebUtility.HtmlEncode(title)), ("width", width.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("chart", chartHtml));

    /// <summary>The chart's layout height, or plotly's default of 450 px.</summary>
    private static int HeightOf(string chartHtml) =>
        LayoutHeight().Match(chartHtml) is { Success: true } m && int.TryParse(m.Groups["h"].Value, out var h) ? h : 450;

    private static string? FindChromium() =>
        new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(dir => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// One picture by Chromium's own command line, not PuppeteerSharp: <c>--virtual-time-budget</c> runs the page's timers
    /// to their end without a wall-clock wait, so the picture is the same on every run (over DevTools that takes raw
    /// Emulation calls), and the tool needs no browser package for one screenshot per chart.
    /// </summary>
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
