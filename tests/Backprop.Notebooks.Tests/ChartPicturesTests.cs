using System.Diagnostics;
using System.Text.Json.Nodes;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>The `charts` verb's pages and pictures: offline, drawn, one per chart output.</summary>
public sealed class ChartPicturesTests
{
    // The shape of Plotly.NET.Interactive's output: plotly.js through require.js from a CDN.
    private const string ChartOutput = """
        <div><div id="c1"></div><script type="text/javascript">
        var renderPlotly_c1 = function() {
            var fsharpPlotlyRequire = requirejs.config({context:'fsharp-plotly',paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}}) || require;
            fsharpPlotlyRequire(['plotly'], function(Plotly) {
                Plotly.newPlot('c1', [{"type":"scatter","x":[1,2,3],"y":[3,1,2]}], {"height":300,"title":{"text":"a test chart"}}, {"responsive":true});
            });
        };
        if ((typeof(requirejs) !== typeof(Function)) || (typeof(requirejs.config) !== typeof(Function))) {
            var script = document.createElement("script");
            script.setAttribute("src", "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js");
            script.onload = function(){ renderPlotly_c1(); };
            document.getElementsByTagName("head")[0].appendChild(script);
        } else { renderPlotly_c1(); }
        </script></div>
        """;

    private static string ExecutedNotebook(string folder)
    {
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["metadata"] = new JsonObject(),
            ["source"] = "Charts.Something()",
            ["outputs"] = new JsonArray(
                new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "not a chart\n" },
                new JsonObject { ["output_type"] = "execute_result", ["data"] = new JsonObject { ["text/html"] = ChartOutput }, ["metadata"] = new JsonObject() }),
        };
        var notebook = new JsonObject { ["cells"] = new JsonArray(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "# t" }, cell), ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 };
        var path = Path.Combine(folder, "99-test.ipynb");
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    [Fact]
    public void Each_chart_output_becomes_an_offline_page_that_draws_and_with_chromium_a_picture()
    {
        var root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);
        Course.Kit.EnsureBuilt(root, TextWriter.Null);
        var folder = Directory.CreateTempSubdirectory("chart-pictures-").FullName;
        try
        {
            var pictures = ChartPictures.Write([ExecutedNotebook(folder)], Path.Combine(folder, "out"), Course.Kit.OutputDirectory(root), 940, TextWriter.Null);

            var picture = Assert.Single(pictures);
            Assert.Equal((2, 1), (picture.Cell, picture.Index));
            var page = File.ReadAllText(picture.Page);
            Assert.Contains("<script src=\"plotly.min.js\"></script>", page, StringComparison.Ordinal);
            Assert.True(new FileInfo(Path.Combine(folder, "out", "plotly.min.js")).Length > 1_000_000, "plotly.js is inlined from the kit's Plotly.NET");

            if (picture.Png is not null)
            {
                Assert.True(new FileInfo(picture.Png).Length > 5_000, "the picture is not blank");
                // With every host name unresolvable, the page still draws its plot.
                var start = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=10000", "--dump-dom", new Uri(picture.Page).AbsoluteUri])
                {
                    start.ArgumentList.Add(a);
                }

                using var chromium = Process.Start(start)!;
                _ = chromium.StandardError.ReadToEndAsync();
                var dom = chromium.StandardOutput.ReadToEnd();
                chromium.WaitForExit();
                Assert.Contains("main-svg", dom, StringComparison.Ordinal);
                Assert.Contains("a test chart", dom, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
