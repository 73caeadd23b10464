using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Plotly.NET;

namespace Backprop.Lessons.Charts.Tests;

/// <summary>
/// A chart read back as Plotly figure JSON ({"data": [...], "layout": {...}}), the exact document the
/// notebook sends to plotly.js, with helpers to find traces, legend names and axes.
/// </summary>
internal sealed class ChartJson
{
    /// <summary>
    /// Reads the chart's traces and layout. The layout's "template" (plotly's default theme, the same in
    /// every chart and most of the JSON) is left out because serialising it takes about a second each time;
    /// <see cref="Full"/> serialises the whole figure.
    /// </summary>
    public ChartJson(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var layout = new JObject();
        foreach (var property in GenericChart.getLayout(chart).GetProperties(false))
        {
            if (property.Key != "template")
            {
                layout[property.Key] = JToken.Parse(JsonConvert.SerializeObject(property.Value));
            }
        }

        Root = new JObject
        {
            ["data"] = JArray.Parse(JsonConvert.SerializeObject(GenericChart.getTraces(chart))),
            ["layout"] = layout,
        };
        Text = Root.ToString(Formatting.None);
    }

    /// <summary>The whole figure exactly as the notebook sends it to plotly.js (slow: about a second).</summary>
    public static JObject Full(GenericChart chart) => JObject.Parse(GenericChart.toFigureJson(chart));

    public string Text { get; }

    public JObject Root { get; }

    public IReadOnlyList<JObject> Traces => [.. ((JArray)Root["data"]!).Cast<JObject>()];

    public JObject Layout => (JObject)Root["layout"]!;

    /// <summary>The names of the traces that appear in the legend (showlegend not false), in order.</summary>
    public IReadOnlyList<string> LegendNames =>
        [.. Traces.Where(t => t["showlegend"]?.Value<bool>() != false && t["name"] is not null).Select(t => t["name"]!.Value<string>()!)];

    /// <summary>The names of all traces, in order (null names left out).</summary>
    public IReadOnlyList<string> TraceNames => [.. Traces.Where(t => t["name"] is not null).Select(t => t["name"]!.Value<string>()!)];

    public JObject Trace(string name) =>
        Traces.FirstOrDefault(t => t["name"]?.Value<string>() == name)
        ?? throw new Xunit.Sdk.XunitException($"no trace named \"{name}\"; the traces are: {string.Join(" | ", TraceNames)}");

    public JObject Axis(string name) =>
        (JObject?)Layout[name] ?? throw new Xunit.Sdk.XunitException($"the layout has no {name}; it is {Layout}");

    public string? AxisTitle(string name) => Axis(name)["title"]?["text"]?.Value<string>();

    public string? AxisType(string name) => Layout[name]?["type"]?.Value<string>();

    public string? Title => Layout["title"]?["text"]?.Value<string>();

    public static double[] Numbers(JToken? array) =>
        array is null ? [] : [.. array.Select(v => v.Type == JTokenType.String ? double.Parse(v.Value<string>()!, System.Globalization.CultureInfo.InvariantCulture) : v.Value<double>())];

    public static string[] Strings(JToken? array) => array is null ? [] : [.. array.Select(v => v.Value<string>()!)];
}
