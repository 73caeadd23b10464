using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace Backprop.Lessons.Charts;

/// <summary>What the x axis of <see cref="Charts.LossRace"/> counts.</summary>
public enum RaceAxis
{
    /// <summary>Passes over the training set: epochs for the gradient-descent family, gradient evaluations for CG and quasi-Newton.</summary>
    Passes,

    /// <summary>Gradient evaluations: one per sample (online SGD), per mini-batch, or per whole-set evaluation (batch methods); log scale.</summary>
    GradientEvaluations,

    /// <summary>Wall-clock training time in seconds (depends on the machine and its load).</summary>
    Seconds,
}

/// <summary>Charts of lesson 05 (optimisation): gradient fields around stationary points and optimiser races.</summary>
public static partial class Charts
{
    /// <summary>
    /// A contour chart of f(x, y) with its gradient field ∇f drawn as arrows (length proportional to
    /// ‖∇f‖, so they shrink to nothing at a stationary point) and labelled points (lecture: "Neural
    /// Networks and Stationary Points"; lesson 05).
    /// </summary>
    /// <param name="f">The function f(x, y).</param>
    /// <param name="xFrom">Smallest x.</param>
    /// <param name="xTo">Largest x.</param>
    /// <param name="yFrom">Smallest y.</param>
    /// <param name="yTo">Largest y.</param>
    /// <param name="title">The chart's title, e.g. the formula.</param>
    /// <param name="points">Points to mark, each with its label (e.g. "minimum (1, −1)"), or null.</param>
    /// <param name="arrows">Arrows per axis, ≥ 2.</param>
    public static GenericChart GradientField(
        Func<double, double, double> f, double xFrom, double xTo, double yFrom, double yTo, string title,
        IEnumerable<(string Label, double X, double Y)>? points = null, int arrows = 15)
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
            zData: z, X: xs, Y: ys, Name: "f(x, y)", ShowScale: false, ShowContoursLabels: true, NContours: 16, ContourLinesWidth: 1,
            ColorScale: StyleParam.Colorscale.Viridis);

        var traces = new List<GenericChart> { contour, GradientArrows(f, Grid(xFrom, xTo, arrows), Grid(yFrom, yTo, arrows)) };
        if (points is not null)
        {
            var marked = points.ToList();
            traces.Add(Chart.Point<double, double, string>(
                x: marked.Select(p => p.X), y: marked.Select(p => p.Y), Name: "stationary points", ShowLegend: true,
                MultiText: marked.Select(p => p.Label).ToArray(), TextPosition: StyleParam.TextPosition.TopCenter,
                MarkerColor: Color.fromString("red"), MarkerSymbol: StyleParam.MarkerSymbol.X));
        }

        GenericChart chart = Titled(Chart.Combine(traces), "x", "y");
        chart = GenericChartExtensions.WithSize(chart, 620, 560);
        return chart.WithTitle(title);
    }

    /// <summary>
    /// An optimiser race: the lowest mean training loss L/N seen so far against passes over the data,
    /// gradient evaluations or training time, one line per run, log y axis (lecture: "Optimisation
    /// Options"; lesson 05). Each optimiser keeps its colour in every chart.
    /// </summary>
    /// <param name="runs">The histories to draw.</param>
    /// <param name="axis">What the x axis counts.</param>
    /// <param name="title">The chart's title, e.g. the data set.</param>
    public static GenericChart LossRace(IEnumerable<TrainingHistory> runs, RaceAxis axis, string title)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var lines = new List<GenericChart>();
        foreach (TrainingHistory run in runs)
        {
            double[] x = axis switch
            {
                RaceAxis.Passes => run.PassesOverData,
                RaceAxis.GradientEvaluations => run.GradientEvaluations,
                RaceAxis.Seconds => run.Seconds,
                _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, $"axis must be one of {string.Join(", ", Enum.GetNames<RaceAxis>())}, but it is {axis}."),
            };
            double[] y = run.BestMeanLoss;
            int from = axis == RaceAxis.GradientEvaluations ? Array.FindIndex(x, v => v > 0) : 0; // log axis: no zero
            string name = run.Optimizer.Split(" (")[0];
            lines.Add(Chart.Line<double, double, string>(
                x: x.Skip(Math.Max(from, 0)), y: y.Skip(Math.Max(from, 0)), Name: name, ShowLegend: true,
                LineColor: Color.fromString(OptimizerColour(name)), LineWidth: 2));
        }

        string xTitle = axis switch
        {
            RaceAxis.Passes => "passes over the data (epochs; evaluations for CG and quasi-Newton)",
            RaceAxis.GradientEvaluations => "gradient evaluations (log scale)",
            _ => "training time t / s (this run)",
        };
        GenericChart chart = Titled(Chart.Combine(lines), xTitle, "lowest L/N so far (log scale)", logY: true);
        if (axis == RaceAxis.GradientEvaluations)
        {
            chart = GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: xTitle, AxisType: StyleParam.AxisType.Log);
        }

        return chart.WithTitle(title);
    }

    /// <summary>
    /// A 1-M-1 network's fit to a curve-fitting set: the data points t_n, the output y(x) and each hidden
    /// unit's contribution w_1j z_j(x) (PRML Fig. 5.3; lesson 05). Builds on <see cref="NetworkOutput"/>.
    /// </summary>
    /// <param name="network">A trained network with one input, one hidden layer and one linear output.</param>
    /// <param name="data">The data it was fitted to (one input, one target).</param>
    /// <param name="title">The chart's title.</param>
    public static GenericChart CurveFit(Mlp network, Dataset data, string title)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputCount != 1 || data.TargetCount != 1)
        {
            throw new ArgumentException($"data must have one input and one target, but it has {data.InputCount} and {data.TargetCount}.", nameof(data));
        }

        var points = Chart.Point<double, double, string>(
            x: data.Inputs.Column(0), y: data.Targets.Column(0), Name: "data t_n", ShowLegend: true, MarkerColor: Color.fromString("black"));
        GenericChart chart = Chart.Combine([NetworkOutput(network, -1, 1), points]);
        chart = GenericChartExtensions.WithSize(chart, 620, 420);
        return chart.WithTitle(title);
    }

    /// <summary>The fixed colour of each of the five optimisers (the same in every chart of the lesson).</summary>
    private static string OptimizerColour(string name) => name switch
    {
        "online SGD" => "#1f77b4",
        "mini-batch SGD" => "#17becf",
        "batch GD" => "#d62728",
        "conjugate gradient" => "#ff7f0e",
        "quasi-Newton" => "#2ca02c",
        _ => "#7f7f7f",
    };

    /// <summary>One line trace of arrows ∇f at the grid points, each a shaft and a two-stroke head, separated by NaN gaps.</summary>
    private static GenericChart GradientArrows(Func<double, double, double> f, double[] xs, double[] ys)
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
        double scale = longest > 0 ? 0.9 * cell / longest : 0.0;
        var px = new List<double>();
        var py = new List<double>();
        foreach (var (x, y, gx, gy) in arrows)
        {
            double dx = scale * gx;
            double dy = scale * gy;
            double length = Math.Sqrt((dx * dx) + (dy * dy));
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
            x: px, y: py, Name: "gradient ∇f (arrows)", ShowLegend: true, LineColor: Color.fromString("white"), LineWidth: 1.5);
    }
}
