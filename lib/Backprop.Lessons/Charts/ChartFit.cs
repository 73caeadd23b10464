using System.Globalization;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace Backprop.Lessons.Charts;

/// <summary>
/// Helpers of the lessons' charts: a size that fits the ~900 px a notebook output gets, and log axes whose
/// tick labels are powers of ten (or 1-2-5 steps within a decade) instead of plotly's "8 7 6 … 1 9 8" minor digits.
/// </summary>
internal static class ChartFit
{
    /// <summary>The width every chart of lessons 09–11 is drawn at (a notebook output is about 900–940 px wide).</summary>
    public const int Width = 880;

    /// <summary>Sets the chart's size to <see cref="Width"/> × height.</summary>
    public static GenericChart Sized(GenericChart chart, int height = 440) =>
        Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, Width, height);

    /// <summary>
    /// Tick values for a log axis over [min, max] (both &gt; 0): every power of ten from the one at or below min to the one
    /// at or above max, when the range spans at least 2.2 decades; otherwise 1, 2 and 5 times the powers of ten, so even a
    /// narrow range has a few labelled ticks (and a range of two decades and a bit does not crowd a narrow panel).
    /// </summary>
    public static (double[] Values, string[] Text) LogTicks(double min, double max)
    {
        if (!(min > 0) || !(max >= min))
        {
            return ([], []);
        }

        int low = (int)Math.Floor(Math.Log10(min)), high = (int)Math.Ceiling(Math.Log10(max));
        double[] mantissas = Math.Log10(max / min) >= 2.2 ? [1.0] : [1.0, 2.0, 5.0];   // 1-2-5 steps up to about two decades: more would crowd a narrow panel
        var values = new List<double>();
        for (int e = low; e <= high; e++)
        {
            foreach (double m in mantissas)
            {
                double v = m * Math.Pow(10, e);
                if (mantissas.Length == 1 || (v >= min / 1.5 && v <= max * 1.5))   // powers of ten: every decade from below min to above max
                {
                    values.Add(v);
                }
            }
        }

        // One style per axis: decimals when every label lies within 0.01 … 100, powers of ten otherwise.
        bool decimals = values.Count > 0 && values.Min() >= 0.01 * (1 - 1e-9) && values.Max() <= 100 * (1 + 1e-9);
        return ([.. values], [.. values.Select(v => decimals ? v.ToString("G3", CultureInfo.InvariantCulture) : Power(v))]);
    }

    /// <summary>A positive number as "1", "0.5", "2·10⁻³" or "10⁻⁴": short and exact at tick values.</summary>
    public static string Format(double v)
    {
        int e = (int)Math.Floor(Math.Log10(v) + 1e-9);
        return e >= -2 && e <= 2 ? v.ToString("G3", CultureInfo.InvariantCulture) : Power(v);
    }

    /// <summary>A positive number as a power of ten, "10⁻⁴", "2·10⁻³", "1" or "5·10¹".</summary>
    private static string Power(double v)
    {
        int e = (int)Math.Floor(Math.Log10(v) + 1e-9);
        double m = Math.Round(v / Math.Pow(10, e), 6);
        if (e == 0)
        {
            return m.ToString("G3", CultureInfo.InvariantCulture);
        }

        string power = "10" + Superscript(e);
        return m == 1.0 ? power : m.ToString("G3", CultureInfo.InvariantCulture) + "·" + power;
    }

    /// <summary>
    /// Sets a log y axis (yaxis, yaxis2, …) of the chart to the range [min, max] with <see cref="LogTicks"/>: all
    /// panels given the same min and max share their scale.
    /// </summary>
    public static GenericChart LogY(GenericChart chart, double min, double max, string axis = "yaxis") => LogAxis(chart, min, max, axis);

    /// <summary>Sets a log x axis (xaxis, xaxis2, …) of the chart to the range [min, max] with <see cref="LogTicks"/>, as <see cref="LogY"/> does for y.</summary>
    public static GenericChart LogX(GenericChart chart, double min, double max, string axis = "xaxis") => LogAxis(chart, min, max, axis);

    private static GenericChart LogAxis(GenericChart chart, double min, double max, string axis)
    {
        Layout layout = GenericChart.getLayout(chart);
        LinearAxis y = layout.TryGetTypedPropertyValue<LinearAxis>(axis) is { } found ? found.Value : new LinearAxis();
        var (values, text) = LogTicks(min, max);
        y.SetProperty("type", "log");
        y.SetProperty("range", new[] { Math.Log10(min) - 0.1, Math.Log10(max) + 0.1 });
        y.SetProperty("tickvals", values);
        y.SetProperty("ticktext", text);
        layout.SetProperty(axis, y);
        return chart;
    }

    /// <summary>The positive finite values' smallest and largest (1 and 10 when there are none).</summary>
    public static (double Min, double Max) PositiveRange(IEnumerable<double> values)
    {
        double[] positive = [.. values.Where(v => v > 0 && double.IsFinite(v))];
        return positive.Length == 0 ? (1.0, 10.0) : (positive.Min(), positive.Max());
    }

    /// <summary>Puts the legend in a horizontal row under the plot, where it covers no data.</summary>
    public static GenericChart LegendBelow(GenericChart chart)
    {
        var legend = new Legend();
        legend.SetProperty("orientation", "h");
        legend.SetProperty("y", -0.22);
        legend.SetProperty("x", 0.0);
        return Plotly.NET.Chart.withLegend(legend, Microsoft.FSharp.Core.FSharpOption<int>.None).Invoke(chart);
    }

    /// <summary>The layout name of panel <paramref name="panel"/>'s axis in a grid (counted from 0): "xaxis", "xaxis2", ….</summary>
    /// <param name="axis">"xaxis" or "yaxis".</param>
    /// <param name="panel">The panel, 0 for the first.</param>
    public static string PanelAxis(string axis, int panel) => panel == 0 ? axis : axis + (panel + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>Sets a property of one axis (xaxis, yaxis2, …) of the chart's layout, creating the axis if needed.</summary>
    public static GenericChart Axis(GenericChart chart, string axis, string property, object value)
    {
        Layout layout = GenericChart.getLayout(chart);
        LinearAxis a = layout.TryGetTypedPropertyValue<LinearAxis>(axis) is { } found ? found.Value : new LinearAxis();
        a.SetProperty(property, value);
        layout.SetProperty(axis, a);
        return chart;
    }

    private static string Superscript(int e) =>
        string.Concat(e.ToString(CultureInfo.InvariantCulture).Select(c => c switch
        {
            '-' => '⁻', '0' => '⁰', '1' => '¹', '2' => '²', '3' => '³', '4' => '⁴', '5' => '⁵', '6' => '⁶', '7' => '⁷', '8' => '⁸', _ => '⁹',
        }));

    /// <summary>
    /// The lecture's weight w⁽ˡ⁾ⱼᵢ as Plotly renders it in legends, hover labels and axis titles: w<sup>(l)</sup><sub>ji</sub>
    /// (units j and inputs i from 1, the bias i = 0). Either index may be a letter ("j") for a whole family of weights.
    /// </summary>
    public static string Weight(int l, object j, object i) => FormattableString.Invariant($"w<sup>({l})</sup><sub>{j}{i}</sub>");
}
