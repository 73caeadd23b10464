using System.Text.Json.Nodes;
using Backprop.Course;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>The one typed reader of a cell's outputs (Notebooks/NotebookOutput) and the publishing files it feeds.</summary>
public sealed class NotebookOutputTests
{
    private static NotebookCell Cell(params JsonObject[] outputs) =>
        new(new JsonObject { ["cell_type"] = "code", ["source"] = "", ["outputs"] = new JsonArray([.. outputs]) });

    [Fact]
    public void Each_output_type_is_read_into_its_own_type_with_stdout_and_stderr_apart_and_lines_joined()
    {
        var cell = Cell(
            new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = new JsonArray("a\n", "b\n") },
            new JsonObject { ["output_type"] = "stream", ["name"] = "stderr", ["text"] = "warn\n" },
            new JsonObject { ["output_type"] = "execute_result", ["data"] = new JsonObject { ["text/html"] = new JsonArray("<b>", "x</b>"), ["text/plain"] = "x" } },
            new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["image/png"] = "iVBO" } },
            new JsonObject { ["output_type"] = "error", ["ename"] = "E", ["evalue"] = "bad", ["traceback"] = new JsonArray("t1", "t2") },
            new JsonObject { ["output_type"] = "update_display_data" });

        var outputs = cell.Outputs;

        Assert.Equal(6, outputs.Count);
        var stdout = Assert.IsType<StreamOutput>(outputs[0]);
        Assert.Equal("a\nb\n", stdout.Text);
        Assert.False(stdout.IsStderr);
        Assert.True(Assert.IsType<StreamOutput>(outputs[1]).IsStderr);
        var result = Assert.IsType<DataOutput>(outputs[2]);
        Assert.Equal("execute_result", result.OutputType);
        Assert.Equal("<b>x</b>", result.Text("text/html"));
        Assert.Equal(["text/html", "text/plain"], result.MimeTypes);
        var display = Assert.IsType<DataOutput>(outputs[3]);
        Assert.Null(display.Text("text/plain"));
        Assert.Equal(["image/png"], display.MimeTypes);
        Assert.Equal(new ErrorOutput("E", "bad", ["t1", "t2"]).Traceback, Assert.IsType<ErrorOutput>(outputs[4]).Traceback);
        Assert.Equal("bad", ((ErrorOutput)outputs[4]).Value);
        Assert.Equal("update_display_data", Assert.IsType<OtherOutput>(outputs[5]).OutputType);
    }

    [Fact]
    public void A_cell_without_outputs_has_none_and_an_entry_that_is_not_an_object_still_counts()
    {
        Assert.Empty(new NotebookCell(new JsonObject { ["cell_type"] = "markdown", ["source"] = "" }).Outputs);
        var cell = new NotebookCell(new JsonObject { ["cell_type"] = "code", ["source"] = "", ["outputs"] = new JsonArray(1) });
        Assert.IsType<OtherOutput>(Assert.Single(cell.Outputs));
    }

    [Fact]
    public void Only_html_outputs_that_draw_with_plotly_are_charts_and_they_lose_their_inline_plotly()
    {
        var inline = $"<script type=\"text/javascript\" id=\"{WireContract.ChartScriptId}\">var plotly = 1;</script>\n";
        var cell = Cell(
            new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = inline + "<div>Plotly.newPlot('a')</div>" } },
            new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = "<table></table>" } },
            new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "Plotly.newPlot" });

        Assert.Equal(["<div>Plotly.newPlot('a')</div>"], ChartHtml.Charts(cell));
    }

    [Fact]
    public void Without_plotly_js_in_the_kit_folder_the_message_names_the_kit_build()
    {
        var folder = Directory.CreateTempSubdirectory("backprop-no-plotly-").FullName;
        try
        {
            var e = Assert.Throws<CourseException>(() => Course.Kit.PlotlyJs(folder));
            Assert.Contains(WireContract.PlotlyJsFile, e.Message, StringComparison.Ordinal);
            Assert.Contains("dotnet build lib/Backprop.Kit -c Release", e.Message, StringComparison.Ordinal);

            File.WriteAllText(Path.Combine(folder, "plotly-9.9.9.min.js"), "");
            Assert.Contains("plotly-9.9.9.min.js", Assert.Throws<CourseException>(() => Course.Kit.PlotlyJs(folder)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_template_fills_every_hole_once_and_refuses_a_missing_or_unused_value()
    {
        var page = ChartPictures.Page("a <title>", "<div>{{title}}</div>", 123);
        Assert.Contains("<title>a &lt;title&gt;</title>", page, StringComparison.Ordinal);
        Assert.Contains("width: 123px", page, StringComparison.Ordinal);
        Assert.Contains("<div>{{title}}</div>", page, StringComparison.Ordinal);   // a value is not read for holes
        Assert.DoesNotContain("{{", page.Replace("<div>{{title}}</div>", "", StringComparison.Ordinal), StringComparison.Ordinal);

        Assert.Throws<InvalidOperationException>(() => Template.Render("chart-page.html", ("title", "t"), ("width", "1")));
        Assert.Throws<InvalidOperationException>(() => Template.Render("chart-page.html", ("title", "t"), ("width", "1"), ("chart", ""), ("extra", "")));
        Assert.Contains($".{WireContract.ChartClass} ", Template.Render("book.css", ("chart_class", WireContract.ChartClass)), StringComparison.Ordinal);
    }
}
