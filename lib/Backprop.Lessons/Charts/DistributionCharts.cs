using System.Globalization;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace Backprop.Lessons.Charts;

/// <summary>Histograms of what each layer holds (lesson 10): the hidden outputs z and the errors |δ| per layer.</summary>
public static partial class Charts
{
    /// <summary>
    /// The distribution of every hidden output z_j of each hidden layer, one panel per network side by side, one line per
    /// layer in its colour: the percentage of outputs in each of 40 bins across the outputs' range. Saturated tanh units
    /// pile up at ±1, nearly linear ones crowd around 0.
    /// </summary>
    /// <param name="runs">A panel title and a network's distributions per panel, at least one.</param>
    public static GenericChart OutputDistributions(params (string Title, LayerDistributions Distributions)[] runs)
    {
        Runs(runs);
        double from = runs.Min(r => r.Distributions.Outputs.Min(z => z.Min())), to = runs.Max(r => r.Distributions.Outputs.Max(z => z.Max()));
        if (!(to > from))
        {
            (from, to) = (from - 1, to + 1);
        }

        return SideBySide(runs, r => r.Outputs, v => v, _ => (from, to), "hidden output z<sub>j</sub>",
            "outputs z per hidden layer (% per bin)");
    }

    /// <summary>
    /// The distribution of log₁₀ |δ_j| of every sample and unit, per layer (the output layer last), one panel per network
    /// side by side, each panel on the x range of its own errors (they can span a few decades or forty): a vanishing
    /// gradient moves the early layers' lines to the left, decade by decade, an exploding one to the right. Exact zeros (a
    /// ReLU's inactive units) are left out.
    /// </summary>
    /// <param name="runs">A panel title and a network's distributions per panel, at least one.</param>
    public static GenericChart DeltaDistributions(params (string Title, LayerDistributions Distributions)[] runs)
    {
        Runs(runs);
        var ranges = runs.Select(r =>
        {
            var logs = r.Distributions.DeltaMagnitudes.SelectMany(d => d).Where(d => d > 0).Select(Math.Log10).ToArray();
            if (logs.Length == 0)
            {
                throw new ArgumentException($"every δ of the run '{r.Title}' is 0: there is no distribution to draw.", nameof(runs));
            }

            double from = Math.Floor(logs.Min()), to = Math.Ceiling(logs.Max());
            return (from, to == from ? from + 1 : to);
        }).ToArray();
        return SideBySide(runs, r => r.DeltaMagnitudes.Select(d => d.Where(v => v > 0).ToArray()).ToArray(), Math.Log10,
            i => ranges[i], "log<sub>10</sub> |δ<sub>j</sub>|", "errors |δ| per layer (% per bin)");
    }

    private static void Runs((string Title, LayerDistributions Distributions)[] runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Length == 0)
        {
            throw new ArgumentException("runs must hold at least one (title, distributions) pair, but it is empty.", nameof(runs));
        }
    }

    private static GenericChart SideBySide((string Title, LayerDistributions Distributions)[] runs, Func<LayerDistributions, IReadOnlyList<double[]>> select,
        Func<double, double> map, Func<int, (double From, double To)> range, string xTitle, string title)
    {
        var panels = runs.Select((r, i) =>
        {
            var layers = select(r.Distributions);
            var (from, to) = range(i);
            var lines = layers.Select((values, l) =>
            {
                var (x, y) = values.Length == 0 ? ([], []) : LayerDistributions.Histogram(values.Select(map).ToArray(), from, to, 40);
                return Chart.Line<double, double, string>(x: x, y: y, Name: "layer " + (l + 1).ToString(CultureInfo.InvariantCulture),
                    ShowLegend: i == 0, LineColor: Palette.OfLayer(l + 1));
            });
            return Titled(Chart.Combine(lines), xTitle, i == 0 ? "% per bin" : "");
        });
        var chart = Chart.Grid(panels, 1, runs.Length, SubPlotTitles: runs.Select(r => r.Title).ToArray(), XGap: 0.08);
        for (int i = 0; i < runs.Length; i++)
        {
            var (from, to) = range(i);
            double pad = 0.04 * (to - from);
            chart = ChartFit.Axis(chart, ChartFit.PanelAxis("xaxis", i), "range", new[] { from - pad, to + pad });
        }

        return ChartFit.Sized(ChartFit.LegendBelow(chart.WithTitle(title)), 400);
    }
}
