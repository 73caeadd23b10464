using System.Text.RegularExpressions;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Publishing;

/// <summary>What the web book and the chart pictures know of a chart output's HTML (the kit's or Plotly.NET.Interactive's).</summary>
internal static partial class ChartHtml
{
    /// <summary>True when an HTML output draws a chart with Plotly.</summary>
    public static bool IsChart(string html) => html.Contains("Plotly.newPlot", StringComparison.Ordinal);

    /// <summary>Chart output HTML without the plotly.js copy the notebook's first chart carries (the page loads a shared one).</summary>
    public static string WithoutInlinePlotly(string chartHtml) => InlinePlotly().Replace(chartHtml, "");

    /// <summary>The chart outputs (HTML that draws with Plotly) of one executed code cell, without their inline plotly.js.</summary>
    public static IEnumerable<string> Charts(NotebookCell cell) =>
        cell.Outputs.OfType<DataOutput>().Select(o => o.Text("text/html") ?? "").Where(IsChart).Select(WithoutInlinePlotly);

    [GeneratedRegex($$"""<script type="text/javascript" id="{{WireContract.ChartScriptId}}">[\s\S]*?</script>\s*""")]
    private static partial Regex InlinePlotly();
}
