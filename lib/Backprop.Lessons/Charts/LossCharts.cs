using System.Globalization;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;

namespace Backprop.Lessons.Charts;

public static partial class Charts
{
    /// <summary>
    /// Lesson 05: the output y = σ(a) of one logistic unit against the gradient-descent step τ, one line per run of
    /// <see cref="OutputSaturation.Train"/> — coloured by its loss (<see cref="Palette.OfLoss"/>), solid for the first
    /// starting point met and dashed for the others — with the target as a grey dotted line.
    /// </summary>
    /// <param name="runs">The runs, all with the same target and number of steps.</param>
    /// <exception cref="ArgumentException">No runs, or runs with different targets or step counts.</exception>
    public static GenericChart OutputSaturation(IReadOnlyList<OutputSaturationRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0 || runs.Any(r => r is null))
        {
            throw new ArgumentException("need at least one run, and no null runs.", nameof(runs));
        }

        if (runs.Any(r => r.Target != runs[0].Target || r.Outputs.Count != runs[0].Outputs.Count))
        {
            throw new ArgumentException("every run must have the same target and the same number of steps.", nameof(runs));
        }

        var starts = runs.Select(r => (r.StartWeight, r.StartBias)).Distinct().ToList();
        int[] steps = [.. Enumerable.Range(0, runs[0].Outputs.Count)];
        var lines = runs.Select(r =>
        {
            double y0 = r.Outputs[0];
            string name = string.Create(CultureInfo.InvariantCulture, $"{r.Loss.Name}, start y = {y0:F2} (w = {r.StartWeight}, b = {r.StartBias})");
            return Chart.Line<int, double, string>(x: steps, y: r.Outputs, Name: name, ShowLegend: true, LineColor: Palette.OfLoss(r.Loss), LineWidth: 2.5,
                LineDash: starts.IndexOf((r.StartWeight, r.StartBias)) == 0 ? StyleParam.DrawingStyle.Solid : StyleParam.DrawingStyle.Dash);
        }).ToList();
        lines.Add(Chart.Line<int, double, string>(x: [0, steps[^1]], y: [runs[0].Target, runs[0].Target],
            Name: string.Create(CultureInfo.InvariantCulture, $"target t = {runs[0].Target}"), ShowLegend: true,
            LineColor: Palette.Neutral, LineDash: StyleParam.DrawingStyle.Dot));
        GenericChart chart = Titled(Chart.Combine(lines), "gradient-descent step τ", "output y = σ(a)");
        chart = ChartFit.Axis(chart, "yaxis", "range", new[] { -0.03, 1.03 });
        chart = ChartFit.LegendBelow(chart.WithTitle("One logistic output unit learning from a wrong start"));
        return chart.WithLessonSize(820, 480);
    }
}
