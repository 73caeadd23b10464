using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace Backprop.Lessons.Charts;

/// <summary>Charts of lessons 11 and 12 (activation functions compared); the colours also serve lesson 09.</summary>
public static partial class Charts
{
    /// <summary>
    /// The activations h(a) in one panel and their derivatives h'(a) in a second panel beside it, each activation in its
    /// colour with one legend entry, so the shapes and slopes can be compared directly (lecture: the slides "Logistic
    /// Sigmoid" … "Exponential Linear Unit"; lesson 11).
    /// </summary>
    /// <param name="activations">The activations, e.g. <see cref="ActivationSummary.LectureActivations"/>.</param>
    /// <param name="from">Smallest a.</param>
    /// <param name="to">Largest a.</param>
    /// <param name="points">Number of sample points.</param>
    public static GenericChart ActivationGrid(IReadOnlyList<Activation> activations, double from = -4, double to = 4, int points = DefaultPoints)
    {
        ArgumentNullException.ThrowIfNull(activations);
        if (activations.Count == 0)
        {
            throw new ArgumentException("activations must hold at least one activation, but it is empty.", nameof(activations));
        }

        double[] a = Grid(from, to, points);
        // Lines that coincide (ReLU, leaky ReLU and ELU are all h(a) = a for a > 0) must stay visible: ReLU is a wide band,
        // leaky ReLU dashes inside it, ELU a thin line through both.
        static double Width(Activation h) => h.Kind switch
        {
            ActivationKind.ReLU => 7,
            ActivationKind.LeakyReLU => 4,
            ActivationKind.Elu => 1.8,
            _ => 2.5,
        };
        static StyleParam.DrawingStyle Dash(Activation h) =>
            h.Kind == ActivationKind.LeakyReLU ? StyleParam.DrawingStyle.Dash : StyleParam.DrawingStyle.Solid;
        GenericChart Panel(Func<Activation, Func<double, double>> f, bool legend, string yTitle) =>
            Titled(Chart.Combine(activations.Select(h => Chart.Line<double, double, string>(
                x: a, y: a.Select(f(h)), Name: h.Name, ShowLegend: legend, LineColor: Palette.Of(h), LineWidth: Width(h),
                LineDash: Dash(h)))), "a", yTitle);
        var chart = Chart.Grid([Panel(h => h.Value, true, "h(a)"), Panel(h => h.Derivative, false, "h'(a)")], 1, 2,
            SubPlotTitles: new[] { "h(a)", "h'(a)" }, XGap: 0.1);
        return ChartFit.Sized(ChartFit.LegendBelow(chart.WithTitle("the five activations (left) and their derivatives (right)")), 440);
    }

    /// <summary>
    /// The final test accuracy of every seed of a <see cref="SeedRace"/>, one column of dots per activation in its colour,
    /// with the mean as a bar-shaped marker and the mean ± one sample standard deviation as an error bar: how far apart
    /// the activations are compared with how much one activation varies from seed to seed. Lesson 12.
    /// </summary>
    /// <param name="results">The race's results, one per activation.</param>
    /// <param name="yTitle">What was measured.</param>
    public static GenericChart RaceSpread(IReadOnlyList<SeedRaceResult> results, string yTitle = "test accuracy after the last epoch")
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            throw new ArgumentException("results must hold at least one activation's runs, but it is empty.", nameof(results));
        }

        var traces = new List<GenericChart>();
        foreach (var r in results)
        {
            traces.Add(Chart.Point<string, double, string>(
                x: r.TestAccuracy.Select(_ => r.Activation.Name), y: r.TestAccuracy, Name: $"{r.Activation.Name}: one dot per seed",
                ShowLegend: false, MarkerColor: Palette.Of(r.Activation)));
            traces.Add(Chart.Line<string, double, string>(
                x: [r.Activation.Name, r.Activation.Name], y: [r.Mean - r.StandardDeviation, r.Mean + r.StandardDeviation],
                Name: $"{r.Activation.Name}: mean ± sd", ShowLegend: false, LineColor: Palette.Of(r.Activation), LineWidth: 10.0, Opacity: 0.35));
            var mean = Chart.Point<string, double, string>(
                x: [r.Activation.Name], y: [r.Mean], Name: $"{r.Activation.Name}: mean", ShowLegend: false,
                MarkerColor: Palette.Of(r.Activation), MarkerSymbol: StyleParam.MarkerSymbol.Diamond);
            traces.Add(mean);
        }

        var chart = Titled(Chart.Combine(traces), "hidden units (dots: seeds; diamond: mean; bar: mean ± sd)", yTitle);
        return ChartFit.Sized(chart.WithTitle($"the race over {results[0].Seeds.Count} seeds"), 420);
    }

    /// <summary>
    /// One line per run of a quantity recorded per epoch (x = epoch, 0 = before training), coloured by the
    /// run's activation: loss curves or test accuracy of a race between activations (lesson 12).
    /// </summary>
    /// <param name="yTitle">What the lines measure, e.g. "training loss L/N".</param>
    /// <param name="runs">The activation (for name and colour) and one value per epoch of each run.</param>
    /// <param name="logScale">Whether the y axis is logarithmic.</param>
    public static GenericChart ByActivation(string yTitle, IEnumerable<(Activation Activation, IReadOnlyList<double> Values)> runs, bool logScale = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var lines = runs.Select(r => Chart.Line<double, double, string>(
            x: Enumerable.Range(0, r.Values.Count).Select(e => (double)e), y: r.Values, Name: r.Activation.Name, ShowLegend: true,
            LineColor: Palette.Of(r.Activation)));
        var chart = Titled(Chart.Combine(lines.ToList()), "epoch", yTitle);
        if (logScale)
        {
            var (min, max) = ChartFit.PositiveRange(runs.SelectMany(r => r.Values));
            chart = ChartFit.LogY(chart, min, max);
        }

        return ChartFit.Sized(chart, 420);
    }

    /// <summary>
    /// One bar per layer for each series, coloured by the series' activation (a series whose activation
    /// family already appeared is hatched): per-layer gradient norms, weight changes or mean outputs of
    /// networks that differ in their hidden units. Lessons 09 and 11.
    /// </summary>
    /// <param name="yTitle">What the bars measure.</param>
    /// <param name="series">Legend name, activation and one value per layer of each series.</param>
    /// <param name="logScale">Whether the y axis is logarithmic.</param>
    /// <param name="xTitle">The x axis title.</param>
    public static GenericChart PerLayerBarsByActivation(string yTitle, IEnumerable<(string Name, Activation Activation, IReadOnlyList<double> PerLayer)> series, bool logScale = false, string xTitle = "layer l (1 = nearest the input)")
    {
        ArgumentNullException.ThrowIfNull(series);
        var seen = new HashSet<ActivationKind>();
        var bars = series.Select(s => Chart.Column<double, string, string>(
            values: s.PerLayer,
            Keys: LayerNames(s.PerLayer.Count),
            Name: s.Name,
            ShowLegend: true,
            MarkerColor: Palette.Of(s.Activation),
            MarkerPatternShape: seen.Add(s.Activation.Kind) ? StyleParam.PatternShape.None : StyleParam.PatternShape.DiagonalAscending)).ToList();
        var chart = Titled(Chart.Combine(bars), xTitle, yTitle);
        if (logScale)
        {
            var (min, max) = ChartFit.PositiveRange(series.SelectMany(s => s.PerLayer));
            chart = ChartFit.LogY(chart, min / 3, max);   // bars grow from the bottom: half a decade below the smallest keeps it visible
        }

        return ChartFit.Sized(bars.Count > 4 ? ChartFit.LegendBelow(chart) : chart, 440);
    }

    /// <summary>
    /// The fraction of dead ReLU units (a_j ≤ 0 for every training sample, so h'(a_j) = 0 forever) in each
    /// hidden layer after every epoch (<see cref="LayerDiagnosticsRecorder.DeadFractions"/>), over one or more training
    /// phases run one after the other on the same network (epochs numbered on). Lesson 12.
    /// </summary>
    /// <param name="title">The chart title.</param>
    /// <param name="phases">The per-layer records of the training phases of a network with ReLU hidden units, in the order they were trained.</param>
    public static GenericChart DeadUnits(string title, params LayerDiagnosticsRecorder[] phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        if (phases.Length == 0)
        {
            throw new ArgumentException("phases must hold at least one per-layer record, but it is empty.", nameof(phases));
        }

        int hiddenLayers = phases[0].DeadFractions.Length;
        for (int p = 0; p < phases.Length; p++)
        {
            if (phases[p] is null || phases[p].DeadFractions.Length != hiddenLayers)
            {
                throw new ArgumentException(
                    $"Every phase must come from the same network: phase 0 has {hiddenLayers} hidden layers, but phase {p} has {phases[p]?.DeadFractions.Length ?? 0}.", nameof(phases));
            }
        }

        var epochs = new List<double>();
        var dead = new List<double>[hiddenLayers];
        for (int h = 0; h < dead.Length; h++)
        {
            dead[h] = [];
        }

        double offset = 0;
        foreach (var (phase, p) in phases.Select((phase, p) => (phase, p)))
        {
            double[][] fractions = phase.DeadFractions;
            int[] steps = phase.Steps;
            for (int i = p == 0 ? 0 : 1; i < steps.Length; i++) // entry 0 of a later phase repeats the previous phase's last
            {
                epochs.Add(offset + steps[i]);
                for (int h = 0; h < dead.Length; h++)
                {
                    dead[h].Add(fractions[h][i]);
                }
            }

            offset += steps[^1];
        }

        var lines = dead.Select((y, h) => Chart.Line<double, double, string>(
            x: epochs, y: y, ShowMarkers: true, Name: $"hidden layer {h + 1}", ShowLegend: true, LineColor: Palette.OfLayer(h + 1)));
        var chart = Titled(Chart.Combine(lines), phases[0].StepUnit, "fraction of dead units");
        return ChartFit.Sized(Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, MinMax: new Tuple<double, double>(0.0, 1.0)).WithTitle(title), 420);
    }
}
