using System.Globalization;

namespace Backprop.Course;

/// <summary>
/// The progress of <c>run</c> with several kernels at once: one line per lesson as it finishes — done / total, its verdict,
/// cells and checks, its own time, the time gone and the time left at the pace so far.
/// </summary>
internal sealed class RunProgress(int total, TextWriter writer)
{
    private readonly ProgressCounter _counter = new(total, writer);

    /// <summary>Reports one finished lesson (<paramref name="run"/> null when it could not run: <paramref name="problem"/> says why).</summary>
    public void Report(string name, NotebookRun? run, string? problem, TimeSpan elapsed)
    {
        var what = run is null
            ? $"✘ {name}: {problem}"
            : $"{(run.Succeeded ? "✔" : "✘")} {name}: {run.Cells.Count(c => c.Status != CellStatus.Succeeded)} of {run.Cells.Count} code cells failed, checks passed {run.Checks.Count(c => c.Status == CellStatus.Succeeded)}/{run.Checks.Count()}";
        _counter.Report(string.Create(CultureInfo.InvariantCulture, $"{what} ({elapsed.TotalSeconds:0.0} s)"));
    }
}
