using Plotly.NET;

namespace Backprop.Lessons.Charts.Tests;

/// <summary>The kit's notebook chart output (NotebookSupport.ChartHtml): no network, plotly.js only when asked for.</summary>
public sealed class NotebookChartHtmlTests
{
    private static GenericChart Chart() => Charts.PerLayerBarsByActivation("‖∂L/∂w‖", [("logistic", Activation.Logistic, [1.0, 1e-3, 1e-6])], logScale: true);

    [Fact]
    public void A_later_chart_loads_nothing_waits_for_window_Plotly_and_says_so_when_it_never_comes()
    {
        var html = NotebookSupport.ChartHtml(Chart(), withLibrary: false);

        Assert.StartsWith($"<div class=\"{NotebookSupport.ChartClass}\">", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"https?://|cdn|require|<script[^>]+src=", html);
        Assert.DoesNotContain(NotebookSupport.PlotlyScriptId, html, StringComparison.Ordinal);
        Assert.Contains("Plotly.newPlot(", html, StringComparison.Ordinal);
        Assert.Contains("if (window.Plotly)", html, StringComparison.Ordinal);
        Assert.Contains("Waiting for plotly.js", html, StringComparison.Ordinal);
        // Plotly.NET's own immediate call is gone: the chart draws only through the wait.
        Assert.DoesNotMatch(@"renderPlotly_\w+\(\);", html);
    }

    [Fact]
    public void The_first_chart_carries_plotly_js_once_hidden_from_an_AMD_loader()
    {
        var html = NotebookSupport.ChartHtml(Chart(), withLibrary: true);
        var library = NotebookSupport.PlotlyJs();

        Assert.StartsWith("/**\n* plotly.js v2.28.0", library, StringComparison.Ordinal);
        var first = html.IndexOf(library, StringComparison.Ordinal);
        Assert.True(first >= 0 && html.IndexOf(library, first + 1, StringComparison.Ordinal) < 0, "plotly.js is in the output exactly once");
        Assert.Contains($"<script type=\"text/javascript\" id=\"{NotebookSupport.PlotlyScriptId}\">(function (define, module, exports) {{\n", html, StringComparison.Ordinal);
        Assert.DoesNotContain("</script", library, StringComparison.OrdinalIgnoreCase);
        Assert.True(first + library.Length < html.LastIndexOf("Plotly.newPlot(", StringComparison.Ordinal), "the library comes before the chart's script");
    }
}
