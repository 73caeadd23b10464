using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace Backprop.Lessons.Charts;

/// <summary>Charts that compare a derivative formula with finite differences (lesson 04).</summary>
public static partial class Charts
{
    /// <summary>
    /// Each activation h(a) as a solid line and its derivative h'(a) as a dashed line of the same colour (the activation's
    /// <see cref="Palette.Of"/> colour) over [from, to] (lecture: tanh(a) = 2σ(2a) − 1 and the two derivatives; lesson 04).
    /// </summary>
    /// <param name="activations">The activations to draw, at least one.</param>
    /// <param name="from">Smallest a.</param>
    /// <param name="to">Largest a.</param>
    /// <exception cref="ArgumentException">No activation, or the range is empty.</exception>
    public static GenericChart ActivationsAndDerivatives(IReadOnlyList<Activation> activations, double from = -5, double to = 5)
    {
        ArgumentNullException.ThrowIfNull(activations);
        if (activations.Count == 0)
        {
            throw new ArgumentException("need at least one activation to draw.", nameof(activations));
        }

        var a = Grid(from, to, DefaultPoints);
        var lines = new List<GenericChart>();
        foreach (Activation h in activations)
        {
            Color color = Palette.Of(h);
            lines.Add(Chart.Line<double, double, string>(x: a, y: [.. a.Select(h.Value)], Name: $"{h.Name} h(a)", ShowLegend: true, LineColor: color));
            lines.Add(Chart.Line<double, double, string>(
                x: a, y: [.. a.Select(h.Derivative)], Name: $"{h.Name} h'(a)", ShowLegend: true, LineColor: color, LineDash: StyleParam.DrawingStyle.Dash));
        }

        return Titled(Chart.Combine(lines), "activation a", "h(a) solid, h'(a) dashed")
            .WithTitle("The activations and their derivatives")
            .WithLessonSize(820, 460);
    }

    /// <summary>
    /// The formula h'(a) as a line and the central difference (h(a + ε) − h(a − ε)) / 2ε as points
    /// over [from, to] (lecture: tanh'(a) = 1 − tanh²(a), "Verifying Correctness"; lesson 04).
    /// </summary>
    /// <param name="activation">The activation whose derivative is compared, e.g. <c>Activation.Tanh</c>.</param>
    /// <param name="from">Smallest a.</param>
    /// <param name="to">Largest a.</param>
    /// <param name="epsilon">The step ε of the central difference.</param>
    /// <param name="points">Number of sample points.</param>
    /// <exception cref="ArgumentException">ε is not a finite positive number, or the range is empty.</exception>
    public static GenericChart DerivativeAgainstCentralDifference(Activation activation, double from = -4, double to = 4, double epsilon = 1e-3, int points = 41)
    {
        ArgumentNullException.ThrowIfNull(activation);
        RequireStep(epsilon, nameof(epsilon));
        var a = Grid(from, to, points);
        var fine = Grid(from, to, DefaultPoints);
        var formula = Chart.Line<double, double, string>(
            x: fine, y: [.. fine.Select(activation.Derivative)], Name: "h'(a), the formula", ShowLegend: true, LineColor: Palette.Of(activation));
        var numeric = Chart.Point<double, double, string>(
            x: a, y: [.. a.Select(v => CentralDifference(activation, v, epsilon))], Name: $"central difference, ε = {epsilon:G3}", ShowLegend: true, MarkerColor: Palette.Neutral);
        return Titled(Chart.Combine([formula, numeric]), "activation a", "derivative h'(a)")
            .WithTitle($"{activation.Name}: formula against central difference")
            .WithLessonSize(820, 460);
    }

    /// <summary>
    /// The residual |h'(a) − (h(a + ε) − h(a − ε)) / 2ε| over [from, to] on a log scale, one line per
    /// step ε: it shrinks like ε² until rounding takes over (lesson 04). Points where the residual is
    /// exactly 0 cannot be drawn on a log axis and are left out.
    /// </summary>
    /// <param name="activation">The activation whose derivative is compared.</param>
    /// <param name="epsilons">The steps ε, one line each.</param>
    /// <param name="from">Smallest a.</param>
    /// <param name="to">Largest a.</param>
    /// <param name="points">Number of sample points.</param>
    /// <exception cref="ArgumentException">A step is not a finite positive number, or the range is empty.</exception>
    public static GenericChart CentralDifferenceResidual(Activation activation, IReadOnlyList<double> epsilons, double from = -4, double to = 4, int points = DefaultPoints)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(epsilons);
        var a = Grid(from, to, points);
        var lines = new List<GenericChart>();
        var residuals = new List<double>();
        foreach (double epsilon in epsilons)
        {
            RequireStep(epsilon, nameof(epsilons));
            var kept = a.Select(v => (A: v, R: Math.Abs(activation.Derivative(v) - CentralDifference(activation, v, epsilon)))).Where(p => p.R > 0.0).ToList();
            residuals.AddRange(kept.Select(p => p.R));
            lines.Add(Chart.Line<double, double, string>(
                x: kept.Select(p => p.A), y: kept.Select(p => p.R), Name: $"ε = {ChartFit.Format(epsilon)}", ShowLegend: true));
        }

        var (min, max) = ChartFit.PositiveRange(residuals);
        return ChartFit.LogY(Titled(Chart.Combine(lines), "activation a", "|h'(a) − central difference|"), min, max)
            .WithTitle($"{activation.Name}: residual of the central difference")
            .WithLessonSize(820, 460);
    }

    private static double CentralDifference(Activation activation, double a, double epsilon) =>
        (activation.Value(a + epsilon) - activation.Value(a - epsilon)) / (2.0 * epsilon);

    private static void RequireStep(double epsilon, string name)
    {
        if (!(epsilon > 0.0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentException($"a finite-difference step ε must be a finite number > 0, but it was {epsilon}.", name);
        }
    }
}
