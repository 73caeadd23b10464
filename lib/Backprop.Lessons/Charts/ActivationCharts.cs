using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace Backprop.Lessons.Charts;

/// <summary>Charts of lesson 07 (activation functions compared); the colours also serve lesson 06.</summary>
public static partial class Charts
{
    /// <summary>
    /// Each activation h(a) (solid) with its derivative h'(a) (dashed) in a panel of its own, in the
    /// activation's colour (lecture: the slides "Logistic Sigmoid" … "Exponential Linear Unit"; lesson 07).
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
        var panels = activations.Select(h =>
        {
            var value = Chart.Line<double, double, string>(x: a, y: a.Select(h.Value), Name: $"{h.Name}: h(a)", ShowLegend: true, LineColor: Palette.Of(h));
            var slope = Chart.Line<double, double, string>(x: a, y: a.Select(h.Derivative), Name: $"{h.Name}: h'(a)", ShowLegend: true,
                LineColor: Palette.Of(h), LineDash: StyleParam.DrawingStyle.Dash);
            return Titled(Chart.Combine([value, slope]), "a", "h(a) solid, h'(a) dashed");
        });
        int columns = Math.Min(3, activations.Count);
        int rows = (activations.Count + columns - 1) / columns;
        return Chart.Grid(panels, rows, columns, SubPlotTitles: activations.Select(h => h.Name).ToArray(), XGap: 0.1, YGap: 0.25)
            .WithTitle("activation functions h(a) (solid) and their derivatives h'(a) (dashed)");
    }

    /// <summary>
    /// The lecture's summary table of activation functions as a chart (name, h(a), h'(a), max |h'|,
    /// problem, advantage), from <see cref="ActivationSummary"/>. Lesson 07.
    /// </summary>
    /// <param name="rows">The rows, e.g. <see cref="ActivationSummary.Lecture"/>.</param>
    public static GenericChart ActivationSummaryTable(IReadOnlyList<ActivationSummaryRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] header = ["name", "h(a)", "h'(a)", "max |h'(a)|", "problem", "advantage"];
        string[][] columns =
        [
            [.. rows.Select(r => r.Name)],
            [.. rows.Select(r => r.Function)],
            [.. rows.Select(r => r.Derivative)],
            [.. rows.Select(r => r.MaxDerivative.ToString("G4", System.Globalization.CultureInfo.InvariantCulture))],
            [.. rows.Select(r => r.Problem.Length == 0 ? "—" : r.Problem)],
            [.. rows.Select(r => r.Advantage.Length == 0 ? "—" : r.Advantage)],
        ];
        var table = Chart.Table(
            header: TableCells(header.Select(h => (IEnumerable<string>)[h])),
            cells: TableCells(columns),
            MultiColumnWidth: new[] { 1.4, 2.0, 1.8, 0.9, 2.2, 2.2 });
        return table.WithTitle("Activation functions — summary (generated from the library)");
    }

    private static Plotly.NET.TraceObjects.TableCells TableCells(IEnumerable<IEnumerable<string>> columns) =>
        Plotly.NET.TraceObjects.TableCells.init<IEnumerable<string>, string>(
            new Microsoft.FSharp.Core.FSharpOption<StyleParam.HorizontalAlign>(StyleParam.HorizontalAlign.Left),
            null, null, null, null, null, null, null, null, null, null, // F# optional arguments left out (None)
            new Microsoft.FSharp.Core.FSharpOption<IEnumerable<IEnumerable<string>>>(columns));

    /// <summary>
    /// One line per run of a quantity recorded per epoch (x = epoch, 0 = before training), coloured by the
    /// run's activation: loss curves or test accuracy of a race between activations (lesson 07).
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
        return Titled(Chart.Combine(lines), "epoch", yTitle, logScale);
    }

    /// <summary>
    /// One bar per layer for each series, coloured by the series' activation (a series whose activation
    /// family already appeared is hatched): per-layer gradient norms, weight changes or mean outputs of
    /// networks that differ in their hidden units. Lessons 06 and 07.
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
        return Titled(Chart.Combine(bars), xTitle, yTitle, logScale);
    }

    /// <summary>
    /// The fraction of dead ReLU units (a_j ≤ 0 for every training sample, so h'(a_j) = 0 forever) in each
    /// hidden layer after every epoch (<see cref="LayerDiagnosticsRecorder.DeadFractions"/>), over one or more training
    /// phases run one after the other on the same network (epochs numbered on). Lesson 07.
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
        return Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, MinMax: new Tuple<double, double>(0.0, 1.0)).WithTitle(title);
    }
}
