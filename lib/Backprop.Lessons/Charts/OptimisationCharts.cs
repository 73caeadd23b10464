using Microsoft.FSharp.Core;
using MathNet.Numerics.LinearAlgebra;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace Backprop.Lessons.Charts;

/// <summary>Charts of lessons 07 and 08 (the error surface and the optimisers): gradient fields around stationary points and optimiser races.</summary>
public static partial class Charts
{
    /// <summary>
    /// A contour chart of f(x, y) with a colour bar for its values, its gradient field ∇f drawn as arrows and labelled
    /// points (lecture: "Neural Networks and Stationary Points"; lesson 07). An arrow's length grows with the square root
    /// of ‖∇f‖: it still shrinks to nothing at a stationary point, but a field that is steep at the edges of the plot
    /// does not turn every interior arrow into a dot, as a length proportional to ‖∇f‖ would.
    /// </summary>
    /// <param name="f">The function f(x, y).</param>
    /// <param name="xFrom">Smallest x.</param>
    /// <param name="xTo">Largest x.</param>
    /// <param name="yFrom">Smallest y.</param>
    /// <param name="yTo">Largest y.</param>
    /// <param name="title">The chart's title, e.g. the formula.</param>
    /// <param name="points">Points to mark, each with its label (e.g. "minimum (1, −1)"), or null.</param>
    /// <param name="arrows">Arrows per axis, ≥ 2.</param>
    /// <param name="function">The function's name in the legend, e.g. "g" (the arrows are then "gradient ∇g").</param>
    public static GenericChart GradientField(
        Func<double, double, double> f, double xFrom, double xTo, double yFrom, double yTo, string title,
        IEnumerable<(string Label, double X, double Y)>? points = null, int arrows = 15, string function = "f")
    {
        ArgumentNullException.ThrowIfNull(f);
        if (arrows < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(arrows), arrows, $"arrows must be at least 2 per axis, but it is {arrows}.");
        }

        double[] xs = Grid(xFrom, xTo, 81);
        double[] ys = Grid(yFrom, yTo, 81);
        double[][] z = [.. ys.Select(y => xs.Select(x => f(x, y)).ToArray())];
        var contour = Chart.Contour<double, double, double, string>(
            zData: z, X: xs, Y: ys, Name: $"{function}(x, y)", ShowScale: true, ShowContoursLabels: true, NContours: 16, ContourLinesWidth: 1,
            ColorScale: StyleParam.Colorscale.Viridis, Opacity: 0.45); // pale enough for dark arrows and labels on top
        var barTitle = new Title();
        barTitle.SetProperty("text", $"{function}(x, y)");
        var bar = new ColorBar();
        bar.SetProperty("title", barTitle);
        bar.SetProperty("thickness", 14);
        foreach (Trace trace in GenericChart.getTraces(contour))
        {
            trace.SetProperty("colorbar", bar);
        }

        var traces = new List<GenericChart> { contour, GradientArrows(f, Grid(xFrom, xTo, arrows), Grid(yFrom, yTo, arrows), function) };
        if (points is not null)
        {
            var marked = points.ToList();
            GenericChart labelled = Chart.Point<double, double, string>(
                x: marked.Select(p => p.X), y: marked.Select(p => p.Y), Name: "stationary points", ShowLegend: true,
                MultiText: marked.Select(p => p.Label).ToArray(), TextPosition: StyleParam.TextPosition.TopCenter,
                MarkerColor: Palette.Positive, MarkerSymbol: StyleParam.MarkerSymbol.X);
            foreach (Trace trace in GenericChart.getTraces(labelled))
            {
                trace.SetProperty("textfont", Font.init(FSharpOption<StyleParam.FontFamily>.None, FSharpOption<double>.Some(15), FSharpOption<Color>.Some(Color.fromString("black"))));
            }

            traces.Add(labelled);
        }

        GenericChart chart = Titled(Chart.Combine(traces), "x", "y");
        chart = ChartFit.LegendBelow(chart);   // the colour bar takes the right-hand side
        chart = GenericChartExtensions.WithSize(chart, 640, 580);
        return chart.WithTitle(title);
    }

    /// <summary>
    /// An optimiser race in one figure: the mean training loss L/N at every iteration, as it was (not the lowest so far),
    /// against passes over the data (left) and gradient evaluations (right), both on log scales so that a run of 30 passes
    /// and one of 250 are equally readable, one line per optimiser in its <see cref="Palette.OfOptimizer"/> colour, with a
    /// marker where each run ended (lecture: "Optimisation Options"; lesson 08). Both panels share one log y range, which
    /// spans at most <see cref="RaceDecades"/> decades below the highest loss, so that one run that falls much further
    /// (quasi-Newton, fitting a small network exactly) does not squeeze the others into a strip: that run leaves through
    /// the bottom of the panels, marked with the lowest loss it reached. For CG and quasi-Newton an iteration is an
    /// accepted line-search point (<see cref="RaceRun.Iterations"/>), drawn at the passes and evaluations spent so far,
    /// trial points included; a point before any pass or evaluation has no place on a log axis and is left out.
    /// </summary>
    /// <param name="runs">The race's runs.</param>
    /// <param name="title">The figure's title, e.g. the data set.</param>
    public static GenericChart Race(IEnumerable<RaceRun> runs, string title)
    {
        ArgumentNullException.ThrowIfNull(runs);
        List<RaceRun> list = [.. runs];
        if (list.Count == 0)
        {
            throw new ArgumentException("runs must hold at least one run, but it is empty.", nameof(runs));
        }

        var losses = list.SelectMany(r => r.Iterations.Select(e => e.MeanLoss)).Where(v => v > 0 && double.IsFinite(v)).ToList();
        double highest = losses.Max();
        double floor = Math.Max(losses.Min(), highest * Math.Pow(10, -RaceDecades));
        var panels = new[] { false, true }.Select(byEvaluations =>
        {
            double X(TrainingEntry e) => byEvaluations ? e.GradientEvaluations : e.PassesOverData;
            var shown = list.Select(run => (run, entries: run.Iterations.Where(e => X(e) > 0).ToList())).ToList();
            var traces = new List<GenericChart>();
            foreach (var (run, entries) in shown.Where(s => s.entries.Count > 0))
            {
                var color = Palette.OfOptimizer(run.Optimizer.Name);
                traces.Add(Chart.Line<double, double, string>(
                    x: entries.Select(X), y: entries.Select(e => e.MeanLoss), Name: run.Optimizer.Name, ShowLegend: !byEvaluations,
                    LineColor: color, LineWidth: 2));
                traces.Add(RaceEnd(entries[^1], X(entries[^1]), floor, color, run.Optimizer.Name));
            }

            GenericChart panel = Titled(Chart.Combine(traces), byEvaluations ? "gradient evaluations (log)" : "passes over the data (log)", byEvaluations ? "" : "L/N at each iteration (log)");
            panel = ChartFit.LogY(panel, floor, highest);   // both panels on one range
            var (fewest, most) = ChartFit.PositiveRange(shown.SelectMany(s => s.entries.Select(X)));
            return ChartFit.LogX(panel, fewest, most);
        }).ToArray();

        // The legend under the panels, as the curve fits': beside them it takes a third of the width, and in the web book's
        // narrower column the two x-axis titles run into each other.
        GenericChart chart = Chart.Grid(panels, 1, 2, XGap: 0.13);
        return ChartFit.Sized(ChartFit.LegendBelow(chart.WithTitle(title)), 480);
    }

    /// <summary>How many decades below its highest loss a race chart's y axis reaches at most.</summary>
    public const int RaceDecades = 6;

    /// <summary>
    /// A run's last iteration as a marker, on the line where it is inside the plot; on the floor with the lowest loss
    /// written beside it when the run left through the bottom.
    /// </summary>
    private static GenericChart RaceEnd(TrainingEntry last, double x, double floor, Color color, string name)
    {
        bool below = last.MeanLoss < floor;
        string[] label = below ? [$"↓ {last.MeanLoss.ToString("0.0E+0", System.Globalization.CultureInfo.InvariantCulture)}"] : [""];
        GenericChart end = Chart.Point<double, double, string>(
            x: [x], y: [below ? floor : last.MeanLoss], Name: $"{name} (end)", ShowLegend: false, MarkerColor: color,
            MarkerSymbol: below ? StyleParam.MarkerSymbol.TriangleDown : StyleParam.MarkerSymbol.Circle,
            MultiText: label,
            TextPosition: StyleParam.TextPosition.TopLeft);
        return end;
    }

    /// <summary>
    /// A 1-M-1 network's fit to a curve-fitting set, in two panels (PRML Fig. 5.3; lesson 07): left, the data points t_n
    /// and the output y(x) on the range of the data; right, what y(x) is the sum of — each hidden unit's contribution
    /// w_1j z_j(x) and the bias w_10, on their own scale (they can be far larger than the data, as for a step). When they
    /// are so large that every change along x would be under 5 % of the axis (large terms that nearly cancel), the right
    /// panel draws each contribution's change since x = −1, w_1j z_j(x) − w_1j z_j(−1), and its axis title says so.
    /// </summary>
    /// <param name="network">A trained network with one input, one hidden layer and one linear output.</param>
    /// <param name="data">The data it was fitted to (one input, one target).</param>
    /// <param name="title">The chart's title.</param>
    public static GenericChart CurveFit(Mlp network, Dataset data, string title)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputCount != 1 || data.TargetCount != 1)
        {
            throw new ArgumentException($"data must have one input and one target, but it has {data.InputCount} and {data.TargetCount}.", nameof(data));
        }

        if (network.Layers.Count != 2 || network.InputCount != 1 || network.OutputCount != 1 || network.Layers[1].Activation.Kind != ActivationKind.Identity)
        {
            throw new ArgumentException("CurveFit draws a network with one input, one hidden layer and one linear (identity) output.", nameof(network));
        }

        double[] x = Grid(-1, 1, DefaultPoints);
        var passes = x.Select(v => network.Forward(Vector<double>.Build.Dense([v]))).ToList();
        double[] t = [.. data.Targets.Column(0)];
        double pad = 0.2 * Math.Max(t.Max() - t.Min(), 1e-3);
        var fitRange = new Tuple<double, double>(t.Min() - pad, t.Max() + pad);
        GenericChart fit = Chart.Combine(
        [
            Chart.Point<double, double, string>(x: data.Inputs.Column(0), y: t, Name: "data t_n", ShowLegend: true, MarkerColor: Color.fromString("black")),
            Chart.Line<double, double, string>(x: x, y: passes.Select(p => p.Output[0]), Name: "y(x)", ShowLegend: true, LineColor: Palette.Of(Activation.Tanh), LineWidth: 2.5),
        ]);
        fit = GenericChartExtensions.WithXAxisStyle<double, double, string>(fit, TitleText: "input x");
        fit = GenericChartExtensions.WithYAxisStyle<double, double, string>(fit, TitleText: "t and y(x)", MinMax: fitRange);

        GenericChart contributions = Contributions(network, x, passes);
        // The legend goes under the panels: beside them it takes a third of the width, and the right panel's axis title
        // then runs into the left panel; the gap between the panels holds that title and its tick labels in the web book's
        // narrower column too (about 640 px).
        GenericChart chart = Chart.Grid([fit, contributions], 1, 2, XGap: 0.2);
        return ChartFit.Sized(ChartFit.LegendBelow(chart.WithTitle(title)), 460);
    }

    /// <summary>
    /// CurveFit's right panel: w⁽²⁾₁ⱼ z_j(x) of every hidden unit of <paramref name="network"/> at the points
    /// <paramref name="x"/> (their forward <paramref name="passes"/>) and the bias, or each contribution's change since x = −1.
    /// </summary>
    private static GenericChart Contributions(Mlp network, double[] x, List<ForwardPass> passes)
    {
        // w⁽²⁾₁ⱼ z_j(x) of every hidden unit. When they are large and nearly cancel (a step fitted with huge weights), drawn as
        // they are they would stretch the axis to tens and hide every change of size ~1: then the panel draws each one's
        // change since x = −1 instead, where the unit that switches is the line that jumps.
        var w2 = network.Layers[1].Weights;
        int units = network.Layers[0].UnitCount;
        double[][] c = [.. Enumerable.Range(1, units).Select(unit => passes.Select(p => w2[0, unit] * p.Z(1)[unit - 1]).ToArray())];
        double[] all = [.. c.SelectMany(values => values), w2[0, 0]];
        double span = all.Max() - all.Min();
        bool changes = c.Max(values => values.Max() - values.Min()) < 0.05 * span;   // every change is under 5 % of the axis
        double[][] drawn = [.. c.Select(values => values.Select(v => v - (changes ? values[0] : 0.0)).ToArray())];
        var parts = new List<GenericChart>();
        foreach (var group in Coinciding(drawn, 0.005 * span))
        {
            // Units whose lines would lie on top of each other (the step fit's units that do not switch, both flat at 0) are one
            // line named for all of them: drawn apart, the later would hide the earlier and its legend entry would show nothing.
            string name = string.Join(" ≈ ", group.Select(j => $"{ChartFit.Weight(2, 1, j)} z<sub>{j}</sub>(x)"));
            parts.Add(Chart.Line<double, double, string>(x: x, y: drawn[group[0] - 1], Name: name, ShowLegend: true,
                LineDash: StyleParam.DrawingStyle.Dash)); // hidden units have no palette colour: Plotly's default colour cycle
        }

        if (!changes)
        {
            parts.Add(Chart.Line<double, double, string>(x: x, y: x.Select(_ => w2[0, 0]), Name: $"bias {ChartFit.Weight(2, 1, 0)}", ShowLegend: true, LineColor: Palette.Neutral, LineDash: StyleParam.DrawingStyle.Dot));
        }

        GenericChart contributions = Chart.Combine(parts);
        contributions = GenericChartExtensions.WithXAxisStyle<double, double, string>(contributions, TitleText: "input x");
        return GenericChartExtensions.WithYAxisStyle<double, double, string>(contributions,
            TitleText: changes ? $"change of {ChartFit.Weight(2, 1, "j")} z<sub>j</sub> since x = −1" : "contributions to y(x)");
    }

    /// <summary>
    /// The units 1 … n grouped by the line they draw: a unit joins the first group whose first unit's values differ from its
    /// own by at most <paramref name="tolerance"/> at every point (within a line's width on the axis), else starts a group.
    /// </summary>
    internal static List<List<int>> Coinciding(double[][] lines, double tolerance)
    {
        var groups = new List<List<int>>();
        for (int j = 1; j <= lines.Length; j++)
        {
            double[] line = lines[j - 1];
            if (groups.FirstOrDefault(g => lines[g[0] - 1].Zip(line).All(p => Math.Abs(p.First - p.Second) <= tolerance)) is { } group)
            {
                group.Add(j);
            }
            else
            {
                groups.Add([j]);
            }
        }

        return groups;
    }

    /// <summary>One line trace of arrows ∇f at the grid points, each a shaft and a two-stroke head, separated by NaN gaps.</summary>
    private static GenericChart GradientArrows(Func<double, double, double> f, double[] xs, double[] ys, string function)
    {
        const double h = 1e-5;
        var arrows = new List<(double X, double Y, double Gx, double Gy)>();
        foreach (double y in ys)
        {
            foreach (double x in xs)
            {
                double gx = (f(x + h, y) - f(x - h, y)) / (2 * h);
                double gy = (f(x, y + h) - f(x, y - h)) / (2 * h);
                arrows.Add((x, y, gx, gy));
            }
        }

        double cell = Math.Min(xs[1] - xs[0], ys[1] - ys[0]);
        double longest = arrows.Max(a => Math.Sqrt((a.Gx * a.Gx) + (a.Gy * a.Gy)));
        var px = new List<double>();
        var py = new List<double>();
        foreach (var (x, y, gx, gy) in arrows)
        {
            double norm = Math.Sqrt((gx * gx) + (gy * gy));
            double length = longest > 0 ? 0.9 * cell * Math.Sqrt(norm / longest) : 0.0;   // √‖∇f‖: see GradientField
            double dx = norm > 0 ? length * gx / norm : 0.0;
            double dy = norm > 0 ? length * gy / norm : 0.0;
            if (length < 0.02 * cell)
            {
                continue; // too short to draw: ∇f ≈ 0 here
            }

            double ex = x + dx;
            double ey = y + dy;
            double head = 0.35 * length;
            double angle = Math.Atan2(dy, dx);
            px.AddRange([x, ex, double.NaN]);
            py.AddRange([y, ey, double.NaN]);
            foreach (double turn in new[] { Math.PI * 5 / 6, -Math.PI * 5 / 6 })
            {
                px.AddRange([ex, ex + (head * Math.Cos(angle + turn)), double.NaN]);
                py.AddRange([ey, ey + (head * Math.Sin(angle + turn)), double.NaN]);
            }
        }

        return Chart.Line<double, double, string>(
            x: px, y: py, Name: $"gradient ∇{function} (arrows)", ShowLegend: true, LineColor: Color.fromString("black"), LineWidth: 1.8);
    }
}
