using System.Globalization;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace Backprop.Lessons.Charts;

public static partial class Charts
{
    /// <summary>
    /// Lesson 13: the largest per-layer relative error of a gradient check against the number of hidden layers, one
    /// line per activation (<see cref="Palette.Of"/>), on a log axis with the thresholds 10⁻⁷ (good below) and 10⁻⁴.
    /// </summary>
    /// <param name="results">The sweep of <see cref="Capstone.GradientCheckSweep"/>.</param>
    public static GenericChart GradientCheckByDepth(IReadOnlyList<CapstoneCheck> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            throw new ArgumentException("need at least one gradient check.", nameof(results));
        }

        var traces = results.GroupBy(r => r.Activation).Select(g => Chart.Line<string, double, string>(
            x: g.Select(r => Label(r.HiddenLayers)), y: g.Select(r => Math.Max(r.MaxRelativeError, 1e-17)), Name: g.Key.Name, ShowLegend: true,
            ShowMarkers: true, LineColor: Palette.Of(g.Key), MarkerColor: Palette.Of(g.Key))).ToList();
        string[] depths = [.. results.Select(r => r.HiddenLayers).Distinct().Order().Select(Label)];
        traces.Add(Chart.Line<string, double, string>(x: depths, y: depths.Select(_ => 1e-7), Name: "1e-7: good below", ShowLegend: true, LineColor: Palette.Neutral, LineDash: StyleParam.DrawingStyle.Dash));
        traces.Add(Chart.Line<string, double, string>(x: depths, y: depths.Select(_ => 1e-4), Name: "1e-4: acceptable below", ShowLegend: true, LineColor: Palette.Neutral, LineDash: StyleParam.DrawingStyle.Dot));
        var (min, max) = ChartFit.PositiveRange(results.Select(r => Math.Max(r.MaxRelativeError, 1e-17)).Append(1e-7).Append(1e-4));
        GenericChart chart = ChartFit.LogY(Titled(Chart.Combine(traces), "hidden layers", "largest relative error per layer"), min, max);
        return GenericChartExtensions.WithSize(chart.WithTitle("Your backward pass against your central differences"), 820, 460);
    }

    /// <summary>
    /// Lesson 13: the loss L of every epoch of the student's own batch gradient descent (epoch 0 = before the first
    /// update), on a log axis labelled at the powers of ten, in batch gradient descent's colour (<see cref="Palette.OfOptimizer"/>).
    /// </summary>
    /// <param name="losses">L before the first update and after every update.</param>
    /// <param name="name">The legend entry.</param>
    public static GenericChart CapstoneTraining(IReadOnlyList<double> losses, string name)
    {
        ArgumentNullException.ThrowIfNull(losses);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (losses.Count == 0)
        {
            throw new ArgumentException("need at least one loss.", nameof(losses));
        }

        GenericChart chart = Chart.Line<int, double, string>(x: Enumerable.Range(0, losses.Count), y: losses, Name: name, ShowLegend: true,
            LineColor: Palette.OfOptimizer("batch GD"));
        chart = Titled(chart, "epoch", "training loss L = Σ_n ½‖y_n − t_n‖²");
        var (lowest, highest) = ChartFit.PositiveRange(losses);
        chart = ChartFit.LogY(chart, lowest, highest);   // powers of ten, or 1-2-5 steps over less than two decades
        chart = GenericChartExtensions.WithLegendStyle(chart, X: 0.98, Y: 0.98, XAnchor: StyleParam.XAnchorPosition.Right, YAnchor: StyleParam.YAnchorPosition.Top);
        return GenericChartExtensions.WithSize(chart.WithTitle("Your training loop on your gradients"), 820, 420);
    }

    private static string Label(int hiddenLayers) => hiddenLayers.ToString(CultureInfo.InvariantCulture);
}
