using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace Backprop.Lessons.Charts;

/// <summary>The race of hidden activations over several seeds (lesson 04).</summary>
public static partial class Charts
{
    /// <summary>
    /// The mean training loss L/N per epoch of every run of a <see cref="HiddenActivationRace"/>, one thin line per seed in
    /// the activation's <see cref="Palette.Of"/> colour, on a log scale, so the spread between seeds is as visible as the gap
    /// between activations (lecture: tanh preferred to the logistic sigmoid for hidden units; lesson 04).
    /// </summary>
    /// <param name="runs">The race's runs.</param>
    /// <exception cref="ArgumentException">No runs.</exception>
    public static GenericChart HiddenActivationRace(IReadOnlyList<HiddenActivationRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("need at least one run of the race.", nameof(runs));
        }

        var lines = new List<GenericChart>();
        foreach (HiddenActivationRun run in runs)
        {
            Color color = Palette.Of(run.Activation);
            for (int s = 0; s < run.MeanLossCurves.Count; s++)
            {
                double[] curve = run.MeanLossCurves[s];
                lines.Add(Chart.Line<int, double, string>(
                    x: Enumerable.Range(1, curve.Length), y: curve,
                    Name: $"{run.Activation.Name} hidden units ({run.MeanLossCurves.Count} seeds)",
                    ShowLegend: s == 0, LineColor: color, LineWidth: 1.5));
            }
        }

        var (min, max) = ChartFit.PositiveRange(runs.SelectMany(run => run.MeanLossCurves.SelectMany(curve => curve)));
        return LegendBelow(ChartFit.LogY(Titled(Chart.Combine(lines), "epoch", "mean training loss L/N"), min, max))
            .WithTitle("Same data, same seeds: logistic against tanh hidden units");
    }
}
