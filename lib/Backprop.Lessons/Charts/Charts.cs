using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace Backprop.Lessons.Charts;

/// <summary>
/// The charts the lessons draw again and again, so a lesson cell stays one line long. Every chart
/// has axis titles and a legend; make one the last expression of a cell to display it.
/// </summary>
public static partial class Charts
{
    /// <summary>Number of points sampled along x unless told otherwise.</summary>
    public const int DefaultPoints = 201;

    /// <summary>
    /// An activation function h(a) and its derivative h'(a) over [from, to] (lecture: "Activation
    /// Functions — Summary"; lessons on activations and vanishing gradients).
    /// </summary>
    /// <param name="activation">The activation function, e.g. <c>Activation.Tanh</c>.</param>
    /// <param name="from">Smallest a.</param>
    /// <param name="to">Largest a.</param>
    /// <param name="points">Number of sample points.</param>
    /// <param name="logSlope">
    /// Also draw h'(a) on a log scale in a second panel, where a slope thousands of times smaller than h'(0) is still
    /// visible (a linear axis draws σ'(10) = 4.5E-05 as zero). The derivative must then be positive on the whole range.
    /// </param>
    public static GenericChart FunctionAndDerivative(Activation activation, double from = -4, double to = 4, int points = DefaultPoints, bool logSlope = false)
    {
        ArgumentNullException.ThrowIfNull(activation);
        var a = Grid(from, to, points);
        Color colour = Palette.Of(activation);   // the activation's colour in every lesson; h' dashed in the same colour
        GenericChart h = Chart.Line<double, double, string>(x: a, y: a.Select(activation.Value), Name: $"h(a) = {activation.Name}(a)", ShowLegend: true,
            LineColor: colour, LineWidth: 2.5);
        GenericChart slope = Chart.Line<double, double, string>(x: a, y: a.Select(activation.Derivative), Name: "h'(a)", ShowLegend: true,
            LineColor: colour, LineWidth: 2.5, LineDash: StyleParam.DrawingStyle.Dash);
        GenericChart both = Titled(Chart.Combine([h, slope]), "activation a", "value");
        if (!logSlope)
        {
            return both.WithTitle($"{activation.Name} and its derivative").WithLessonSize(720, 420);
        }

        double[] derivative = [.. a.Select(activation.Derivative)];
        if (derivative.Any(d => !(d > 0)))
        {
            throw new ArgumentException($"logSlope draws h'(a) on a log scale, but {activation.Name}'(a) is not positive everywhere on [{from}, {to}].", nameof(logSlope));
        }

        GenericChart logPanel = Titled(Chart.Line<double, double, string>(x: a, y: derivative, Name: "h'(a), log scale", ShowLegend: false,
            LineColor: colour, LineWidth: 2.5, LineDash: StyleParam.DrawingStyle.Dash), "activation a", "");
        logPanel = ChartFit.LogY(logPanel, derivative.Min(), derivative.Max());
        GenericChart grid = Chart.Grid([both, logPanel], 1, 2, SubPlotTitles: new[] { "h(a) and h'(a)", "h'(a) on a log scale" }, XGap: 0.12);
        double pad = 0.04 * (to - from);   // the left panel's last tick label and the right one's first do not meet
        grid = ChartFit.Axis(ChartFit.Axis(grid, "xaxis", "range", new[] { from - pad, to + pad }), "xaxis2", "range", new[] { from - pad, to + pad });
        return ChartFit.LegendBelow(grid.WithTitle($"{activation.Name} and its derivative")).WithLessonSize(860, 460);
    }

    /// <summary>Several functions of one variable over [from, to], one line each.</summary>
    /// <param name="from">Smallest x.</param>
    /// <param name="to">Largest x.</param>
    /// <param name="xTitle">Title of the x axis (with symbol and unit).</param>
    /// <param name="yTitle">Title of the y axis.</param>
    /// <param name="points">Number of sample points.</param>
    /// <param name="functions">Legend name and function of each line.</param>
    public static GenericChart Functions(double from, double to, string xTitle, string yTitle, int points, params (string Name, Func<double, double> F)[] functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var x = Grid(from, to, points);
        return Series(xTitle, yTitle, x, [.. functions.Select(f => (f.Name, (IReadOnlyList<double>)[.. x.Select(f.F)]))]);
    }

    /// <summary>Several series over the same x values, one line each.</summary>
    /// <param name="xTitle">Title of the x axis (with symbol and unit).</param>
    /// <param name="yTitle">Title of the y axis.</param>
    /// <param name="x">The shared x values.</param>
    /// <param name="series">Legend name and y values of each line (as many as x values).</param>
    public static GenericChart Series(string xTitle, string yTitle, IReadOnlyList<double> x, params (string Name, IReadOnlyList<double> Y)[] series)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        foreach (var (name, y) in series)
        {
            if (y.Count != x.Count)
            {
                throw new ArgumentException($"series '{name}' has {y.Count} values but there are {x.Count} x values.", nameof(series));
            }
        }

        var lines = series.Select(s => Chart.Line<double, double, string>(x: x, y: s.Y, Name: s.Name, ShowLegend: true));
        return Titled(Chart.Combine(lines), xTitle, yTitle);
    }

    /// <summary>
    /// The output y(x) of a network with one input, one hidden layer and one linear output over
    /// [from, to], together with each hidden unit's weighted contribution w⁽²⁾_1j z_j(x) and the bias
    /// w⁽²⁾_10, whose sum is y(x) (lecture: y_k = Σ_j w_kj⁽²⁾ z_j; lesson 01). Optionally also the sum of
    /// a group of units' contributions, dashed — e.g. two shifted steps of opposite sign that make a bump.
    /// </summary>
    /// <param name="network">A D = 1, K = 1 network with one hidden layer and an identity output.</param>
    /// <param name="from">Smallest x.</param>
    /// <param name="to">Largest x.</param>
    /// <param name="points">Number of sample points.</param>
    /// <param name="group">Hidden units (numbered from 1) whose contributions are also drawn added up; none if empty.</param>
    /// <exception cref="ArgumentException">The network has another shape, or a unit of <paramref name="group"/> does not exist.</exception>
    public static GenericChart NetworkOutput(Mlp network, double from = -1, double to = 1, int points = DefaultPoints, params int[] group)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(group);
        if (network.Layers.Count != 2 || network.InputCount != 1 || network.OutputCount != 1 || network.Layers[1].Activation.Kind != ActivationKind.Identity)
        {
            throw new ArgumentException("NetworkOutput draws a network with one input, one hidden layer and one linear (identity) output.", nameof(network));
        }

        int hidden = network.Layers[0].UnitCount;
        if (group.Any(j => j < 1 || j > hidden) || group.Distinct().Count() != group.Length)
        {
            throw new ArgumentException($"group must name distinct hidden units 1 … {hidden}, but it is ({string.Join(", ", group)}).", nameof(group));
        }

        var x = Grid(from, to, points);
        var passes = x.Select(v => network.Forward(Vector<double>.Build.Dense([v]))).ToList();
        var w2 = network.Layers[1].Weights;
        var lines = new List<GenericChart>
        {
            Chart.Line<double, double, string>(x: x, y: [.. passes.Select(p => p.Output[0])], Name: "y(x)", ShowLegend: true,
                LineColor: Palette.OfLayer(1), LineWidth: 4),
        };
        for (var j = 1; j <= hidden; j++)
        {
            var unit = j;
            lines.Add(Chart.Line<double, double, string>(x: x, y: [.. passes.Select(p => w2[0, unit] * p.Z(1)[unit - 1])],
                Name: $"{ChartFit.Weight(2, 1, unit)} z<sub>{unit}</sub>(x)", ShowLegend: true, LineColor: Palette.OfLayer(unit + 2)));
        }

        if (group.Length > 0)
        {
            lines.Add(Chart.Line<double, double, string>(x: x, y: [.. passes.Select(p => group.Sum(j => w2[0, j] * p.Z(1)[j - 1]))],
                Name: "units " + string.Join(" + ", group), ShowLegend: true, LineColor: Palette.Neutral,
                LineDash: StyleParam.DrawingStyle.Dash, LineWidth: 2.5));
        }

        lines.Add(Chart.Line<double, double, string>(x: x, y: [.. x.Select(_ => w2[0, 0])], Name: $"bias {ChartFit.Weight(2, 1, 0)}",
            ShowLegend: true, LineColor: Palette.Neutral, LineDash: StyleParam.DrawingStyle.Dot));
        return Titled(Chart.Combine(lines), "input x", "output y and contributions")
            .WithTitle("Network output and its hidden units' contributions")
            .WithLessonSize(860, 460);
    }

    private static string[] LayerNames(int count) =>
        [.. Enumerable.Range(1, count).Select(l => "layer " + l.ToString(CultureInfo.InvariantCulture))];

    private static double[] Grid(double from, double to, int points)
    {
        if (points < 2 || !(to > from))
        {
            throw new ArgumentException($"need from < to and at least 2 points (got from = {from}, to = {to}, points = {points}).");
        }

        return [.. Enumerable.Range(0, points).Select(i => from + ((to - from) * i / (points - 1)))];
    }

    /// <summary>Axis titles; a log axis is set by <see cref="ChartFit.LogY"/> or <see cref="ChartFit.LogX"/> from the data's range, so every log axis is labelled alike.</summary>
    private static GenericChart Titled(GenericChart chart, string xTitle, string yTitle)
    {
        chart = GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: xTitle);
        return GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: yTitle);
    }

    /// <summary>A size that fits the ~900 px a notebook gives an output (Plotly.NET's default is 600 × 600).</summary>
    private static GenericChart WithLessonSize(this GenericChart chart, int width, int height) =>
        GenericChartExtensions.WithSize(chart, Width: width, Height: height);

    private static GenericChart WithTitle(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);
}
