using System.Globalization;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace Backprop.Lessons.Charts;

/// <summary>Charts of lesson 09 (saturation and vanishing gradients).</summary>
public static partial class Charts
{
    /// <summary>
    /// The "speed of learning" of every layer during training for several runs side by side: the bias-gradient norm
    /// ‖(1/N) Σ_n δ_j‖ of each layer after every epoch (<see cref="LayerDiagnosticsRecorder.BiasGradientNorms"/>), one
    /// panel per run with the same layer colours, on one shared log y axis so the panels can be compared by eye, e.g.
    /// logistic, tanh and ReLU hidden units trained the same way. Vanishing gradients show as lines for the early layers
    /// far below the later ones (lecture: "Vanishing Gradient"). The y title is on the first panel only, the legend
    /// under the panels. Lesson 09.
    /// </summary>
    /// <param name="runs">A panel title and a run's per-layer record per panel.</param>
    public static GenericChart SpeedOfLearningSideBySide(params (string Title, LayerDiagnosticsRecorder Diagnostics)[] runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Length == 0)
        {
            throw new ArgumentException("runs must hold at least one (title, diagnostics) pair, but it is empty.", nameof(runs));
        }

        var (min, max) = ChartFit.PositiveRange(runs.SelectMany(r => r.Diagnostics.BiasGradientNorms.SelectMany(n => n)));
        var panels = runs.Select((r, i) => Panel(r.Diagnostics, showLegend: i == 0, yTitle: i == 0 ? "‖∂L/∂w<sub>j0</sub>‖ / N (log, shared)" : ""));
        var chart = Chart.Grid(panels, 1, runs.Length, SubPlotTitles: runs.Select(r => r.Title).ToArray(), XGap: 0.08);
        for (int i = 0; i < runs.Length; i++)
        {
            string axis = ChartFit.PanelAxis("yaxis", i);
            chart = ChartFit.LogY(chart, min, max, axis);
            // Room on both sides of each panel, so that one panel's last tick label does not run into the next one's first.
            if (runs[i].Diagnostics.Steps is [var first, .., var last])
            {
                double pad = 0.06 * Math.Max(last - first, 1);
                chart = ChartFit.Axis(chart, ChartFit.PanelAxis("xaxis", i), "range", new[] { first - pad, last + pad });
            }
            if (i > 0)
            {
                chart = ChartFit.Axis(chart, axis, "showticklabels", false);
            }
        }

        return ChartFit.Sized(ChartFit.LegendBelow(chart.WithTitle("speed of learning per layer against epoch (one log scale for all panels)")), 440);
    }

    private static GenericChart Panel(LayerDiagnosticsRecorder diagnostics, bool showLegend, string yTitle)
    {
        double[][] norms = diagnostics.BiasGradientNorms;
        double[] epochs = [.. diagnostics.Steps.Select(s => (double)s)];
        var lines = norms.Select((y, l) => Chart.Line<double, double, string>(
            x: epochs, y: y, Name: LayerLabel(l + 1, norms.Length), ShowLegend: showLegend, LineColor: Palette.OfLayer(l + 1)));
        var (min, max) = ChartFit.PositiveRange(norms.SelectMany(n => n));
        return ChartFit.LogY(Titled(Chart.Combine(lines), diagnostics.StepUnit, yTitle), min, max);
    }

    /// <summary>
    /// Each layer's gradient norm ‖(1/N) Σ_n δ‖ against the scale σ_w of the initial weights, log on both axes, one
    /// line per layer in its colour: too small weights make the early layers' gradients vanish, large ones bring
    /// saturation (lesson 10, tanh with N(0, σ_w²) weights).
    /// </summary>
    /// <param name="weightScales">The weight scales σ_w.</param>
    /// <param name="norms"><c>norms[s][l]</c>: the norm of layer l + 1 at weight scale s.</param>
    public static GenericChart GradientNormsAgainstWeightScale(IReadOnlyList<double> weightScales, IReadOnlyList<IReadOnlyList<double>> norms)
    {
        ArgumentNullException.ThrowIfNull(weightScales);
        ArgumentNullException.ThrowIfNull(norms);
        if (norms.Count != weightScales.Count || norms.Count == 0 || norms.Any(n => n is null || n.Count != norms[0].Count))
        {
            throw new ArgumentException($"norms needs one row per weight scale ({weightScales.Count}), each with the same number of layers.", nameof(norms));
        }

        int layers = norms[0].Count;
        var lines = Enumerable.Range(0, layers).Select(l => Chart.Line<double, double, string>(
            x: weightScales, y: norms.Select(n => n[l]), ShowMarkers: true, Name: LayerLabel(l + 1, layers), ShowLegend: true, LineColor: Palette.OfLayer(l + 1)));
        var chart = Titled(Chart.Combine(lines), "weight scale σ_w (log)", "‖∂L/∂w<sub>j0</sub>‖ / N (log)");
        chart = ChartFit.LogX(chart, weightScales.Min(), weightScales.Max());
        var (min, max) = ChartFit.PositiveRange(norms.SelectMany(n => n));
        return ChartFit.Sized(ChartFit.LogY(chart, min, max).WithTitle("per-layer gradient at initialisation against the weight scale"), 420);
    }

    /// <summary>
    /// The first-to-last gradient ratio of logistic networks against their number of hidden layers H, measured (markers)
    /// and as the lecture's rule predicts it, (1/4)^(H−1) — each layer back costs at most σ' ≤ 1/4 — on a log y axis, where
    /// the rule is a straight line and a ratio that vanishes geometrically is one too (lecture: "Vanishing Gradient"; lesson 09).
    /// </summary>
    /// <param name="hiddenLayers">The depths H measured, each at least 1.</param>
    /// <param name="measured">The measured ratio ‖δ of the first hidden layer‖ / ‖δ of the last‖ at each depth, positive.</param>
    public static GenericChart RatioAgainstDepth(IReadOnlyList<int> hiddenLayers, IReadOnlyList<double> measured)
    {
        ArgumentNullException.ThrowIfNull(hiddenLayers);
        ArgumentNullException.ThrowIfNull(measured);
        if (hiddenLayers.Count == 0 || measured.Count != hiddenLayers.Count)
        {
            throw new ArgumentException($"measured needs one ratio per depth ({hiddenLayers.Count}), but it has {measured.Count}.", nameof(measured));
        }

        if (hiddenLayers.Where(h => h < 1).ToList() is [var shallow, ..])
        {
            throw new ArgumentException($"a depth H must be at least 1 hidden layer, but one is {shallow}.", nameof(hiddenLayers));
        }

        if (measured.Where(r => !(r > 0 && double.IsFinite(r))).ToList() is [var wrong, ..])
        {
            throw new ArgumentException($"every measured ratio must be a positive finite number (the y axis is logarithmic), but one is {wrong.ToString(CultureInfo.InvariantCulture)}.", nameof(measured));
        }

        double[] depths = [.. hiddenLayers.Select(h => (double)h)];
        double[] predicted = [.. hiddenLayers.Select(h => Math.Pow(0.25, h - 1))];
        var rule = Chart.Line<double, double, string>(x: depths, y: predicted, Name: "predicted (1/4)<sup>H−1</sup>", ShowLegend: true,
            LineColor: Color.fromKeyword(ColorKeyword.Gray), LineDash: StyleParam.DrawingStyle.Dash);
        var points = Chart.Line<double, double, string>(x: depths, y: measured, ShowMarkers: true, Name: "measured ratio", ShowLegend: true,
            LineColor: Palette.OfLayer(1));
        var chart = Titled(Chart.Combine([rule, points]), "hidden layers H", "first-to-last gradient ratio (log)");
        var (min, max) = ChartFit.PositiveRange(measured.Concat(predicted));
        return ChartFit.Sized(ChartFit.LogY(chart, min, max).WithTitle("logistic networks: the ratio falls fourfold per layer"), 400);
    }

    /// <summary>
    /// The fraction of saturated σ/tanh units (|h'(a_j)| below the threshold, over samples and units) in
    /// each hidden layer against the scale σ_w of the initial weights, on a log x axis (lecture:
    /// "Problems with sigmoidal neurons"; lesson 09).
    /// </summary>
    /// <param name="weightScales">The weight scales σ_w, one per measurement.</param>
    /// <param name="fractions"><c>fractions[s][h]</c>: the saturated fraction of hidden layer h at weight scale s.</param>
    public static GenericChart SaturationAgainstWeightScale(IReadOnlyList<double> weightScales, IReadOnlyList<IReadOnlyList<double>> fractions)
    {
        ArgumentNullException.ThrowIfNull(weightScales);
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Count != weightScales.Count || fractions.Count == 0)
        {
            throw new ArgumentException($"fractions needs one row per weight scale ({weightScales.Count}), but it has {fractions.Count}.", nameof(fractions));
        }

        int layers = fractions[0].Count;
        for (int s = 0; s < fractions.Count; s++)
        {
            if (fractions[s] is null || fractions[s].Count != layers)
            {
                throw new ArgumentException(
                    $"fractions needs the same number of hidden layers in every row ({layers}, as in row 0), but row {s} has {fractions[s]?.Count ?? 0}.", nameof(fractions));
            }
        }

        var lines = Enumerable.Range(0, layers).Select(h => Chart.Line<double, double, string>(
            x: weightScales, y: fractions.Select(f => f[h]), ShowMarkers: true, Name: $"hidden layer {h + 1}", ShowLegend: true, LineColor: Palette.OfLayer(h + 1)));
        var chart = Chart.Combine(lines);
        chart = GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "weight scale σ_w (log)");
        chart = ChartFit.LogX(chart, weightScales.Min(), weightScales.Max());
        chart = GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: string.Create(CultureInfo.InvariantCulture, $"fraction saturated, |h'(a)| < {LayerStatistics.SaturationThreshold}"), MinMax: new Tuple<double, double>(0.0, 1.0));
        return ChartFit.Sized(chart.WithTitle("saturation grows with the weight scale"), 420);
    }

    private static string LayerLabel(int layer, int count) =>
        "layer " + layer.ToString(CultureInfo.InvariantCulture) + (layer == count ? " (output)" : string.Empty);
}
