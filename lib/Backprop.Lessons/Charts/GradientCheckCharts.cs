using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace Backprop.Lessons.Charts;

/// <summary>Charts of numerical gradient verification and its cost (lesson 06).</summary>
public static partial class Charts
{
    /// <summary>
    /// The error of central and forward differences against the step ε on log-log axes (lecture:
    /// "Verifying Correctness", central differences are O(ε²); lesson 06). Truncation makes the right
    /// arm of each V, rounding the left; exact zeros cannot be drawn on log axes and are left out.
    /// </summary>
    /// <param name="epsilons">The steps ε.</param>
    /// <param name="centralErrors">|central difference − backprop| at each ε.</param>
    /// <param name="forwardErrors">|forward difference − backprop| at each ε.</param>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static GenericChart FiniteDifferenceErrors(IReadOnlyList<double> epsilons, IReadOnlyList<double> centralErrors, IReadOnlyList<double> forwardErrors)
    {
        ArgumentNullException.ThrowIfNull(epsilons);
        ArgumentNullException.ThrowIfNull(centralErrors);
        ArgumentNullException.ThrowIfNull(forwardErrors);
        if (centralErrors.Count != epsilons.Count || forwardErrors.Count != epsilons.Count)
        {
            throw new ArgumentException(
                $"need one error per ε: {epsilons.Count} steps, but {centralErrors.Count} central and {forwardErrors.Count} forward errors.", nameof(centralErrors));
        }

        GenericChart Errors(string name, IReadOnlyList<double> errors, Color color)
        {
            var kept = epsilons.Zip(errors).Where(p => p.Second > 0.0).ToList();
            return Chart.Line<double, double, string>(
                x: kept.Select(p => p.First), y: kept.Select(p => p.Second), ShowMarkers: true, Name: name, ShowLegend: true, LineColor: color, MarkerColor: color);
        }

        GenericChart chart = Titled(
            Chart.Combine([Errors("central (L(w+ε) − L(w−ε)) / 2ε", centralErrors, Palette.Positive), Errors("forward (L(w+ε) − L(w)) / ε", forwardErrors, Palette.Neutral)]),
            "step ε", "|numerical − backprop|");
        var (low, high) = ChartFit.PositiveRange(centralErrors.Concat(forwardErrors));
        var (first, last) = ChartFit.PositiveRange(epsilons);
        return LegendBelow(ChartFit.LogY(ChartFit.LogX(chart, first, last), low, high))
            .WithTitle("Error of a finite difference against its step");
    }

    /// <summary>
    /// Seconds per full gradient by backpropagation and by central differences against |W|, on log-log
    /// axes, each with its least-squares slope p in the legend, and two dotted reference lines of slope 1
    /// (∝ |W|, through backprop's point at the largest |W|) and slope 2 (∝ |W|², through the numerical
    /// point at the largest |W|) to read the measured slopes against (lecture: "Efficiency", O(|W|) against
    /// O(|W|²); lesson 06).
    /// </summary>
    /// <param name="measurements">The result of <see cref="Lessons.GradientCost.Measure"/>, at least two sizes.</param>
    /// <exception cref="ArgumentException">Fewer than two measurements.</exception>
    public static GenericChart GradientCost(IReadOnlyList<GradientCostMeasurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        if (measurements.Count < 2)
        {
            throw new ArgumentException($"need at least 2 measurements to draw a slope, but got {measurements.Count}.", nameof(measurements));
        }

        double[] w = [.. measurements.Select(m => (double)m.ParameterCount)];
        double[] backprop = [.. measurements.Select(m => m.BackpropSeconds)];
        double[] numerical = [.. measurements.Select(m => m.NumericalSeconds)];
        int largest = Array.IndexOf(w, w.Max());
        var traces = new List<GenericChart>();
        foreach (var (name, seconds, color) in new[] { ("backpropagation", backprop, Palette.Negative), ("central differences", numerical, Palette.Positive) })
        {
            PowerLawFit fit = PowerLaw.Fit(w, seconds);
            traces.Add(Chart.Line<double, double, string>(
                x: w, y: seconds, ShowMarkers: true, Name: $"{name}, measured (fitted slope {fit.Slope:F2})", ShowLegend: true, LineColor: color, MarkerColor: color));
        }

        foreach (var (name, slope, through, dash) in new[]
        {
            ("reference slope 1: ∝ |W|", 1.0, backprop[largest], StyleParam.DrawingStyle.Dot),
            ("reference slope 2: ∝ |W|²", 2.0, numerical[largest], StyleParam.DrawingStyle.Dash),
        })
        {
            traces.Add(Chart.Line<double, double, string>(
                x: w, y: w.Select(x => through * Math.Pow(x / w[largest], slope)), Name: name, ShowLegend: true, LineColor: Palette.Neutral, LineDash: dash));
        }

        GenericChart chart = GenericChartExtensions.WithXAxisStyle<double, double, string>(Chart.Combine(traces), TitleText: "number of weights |W|");
        chart = GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "processor seconds per gradient");
        var (low, high) = ChartFit.PositiveRange(backprop.Concat(numerical)
            .Concat(w.Select(x => backprop[largest] * x / w[largest])).Concat(w.Select(x => numerical[largest] * Math.Pow(x / w[largest], 2))));   // the references too
        chart = ChartFit.LogY(ChartFit.LogX(chart, w.Min(), w.Max()), low, high);
        return LegendBelow(chart).WithTitle("Cost of one gradient");
    }

    /// <summary>
    /// The norm-wise relative error of every layer of one or more gradient checks as bars on a log
    /// scale, with the verdict thresholds 1e-7 (good) and 1e-4 (acceptable) as dashed lines (lesson 06).
    /// </summary>
    /// <param name="reports">Legend name and report of each check; blocks are matched by name.</param>
    /// <exception cref="ArgumentException">No reports.</exception>
    public static GenericChart GradientCheckErrors(IEnumerable<(string Name, GradientCheckReport Report)> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var all = reports.ToList();
        if (all.Count == 0)
        {
            throw new ArgumentException("need at least one gradient-check report.", nameof(reports));
        }

        string[] blocks = [.. all.SelectMany(r => r.Report.Blocks.Select(b => b.Name)).Distinct()];
        var traces = all.Select(r => Chart.Column<double, string, string>(
            values: r.Report.Blocks.Select(b => Math.Max(b.RelativeError, 1e-17)),
            Keys: r.Report.Blocks.Select(b => b.Name).ToArray(),
            Name: r.Name,
            ShowLegend: true)).ToList();
        traces.Add(Chart.Line<string, double, string>(x: blocks, y: blocks.Select(_ => 1e-7), Name: "1e-7: good below", ShowLegend: true, LineColor: Palette.Neutral, LineDash: StyleParam.DrawingStyle.Dash));
        traces.Add(Chart.Line<string, double, string>(x: blocks, y: blocks.Select(_ => 1e-4), Name: "1e-4: acceptable below", ShowLegend: true, LineColor: Palette.Neutral, LineDash: StyleParam.DrawingStyle.Dot));
        var (min, max) = ChartFit.PositiveRange(all.SelectMany(r => r.Report.Blocks.Select(b => Math.Max(b.RelativeError, 1e-17))).Append(1e-7).Append(1e-4));
        GenericChart chart = Titled(Chart.Combine(traces), "weight block w<sup>(l)</sup>", "relative error ‖g_a − g_n‖ / max(‖g_a‖, ‖g_n‖)");
        return LegendBelow(ChartFit.LogY(chart, min / 3, max))   // bars grow from the bottom: a little below the smallest keeps it visible
            .WithTitle("Gradient check, layer by layer");
    }

    /// <summary>A horizontal legend under the plot and a size that fits a notebook output (~900 px), so long legend names do not squeeze the plot.</summary>
    private static GenericChart LegendBelow(GenericChart chart)
    {
        chart = Plotly.NET.CSharp.GenericChartExtensions.WithLegendStyle(
            chart, Orientation: StyleParam.Orientation.Horizontal, X: 0.0, XAnchor: StyleParam.XAnchorPosition.Left, Y: -0.22, YAnchor: StyleParam.YAnchorPosition.Top);
        return Plotly.NET.CSharp.GenericChartExtensions.WithSize(chart, Width: 860, Height: 540);
    }
}
