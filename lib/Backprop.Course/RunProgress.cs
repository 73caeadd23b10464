using System.Diagnostics;
using System.Globalization;

namespace Backprop.Course;

/// <summary>
/// The progress of <c>run</c> with several kernels at once: one line per lesson as it finishes — done / total, its verdict,
/// cells and checks, its own time, the time gone and the time left at the pace so far.
/// </summary>
internal sealed class RunProgress(int total, TextWriter writer)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _done;

    /// <summary>Reports one finished lesson (<paramref name="run"/> null when it could not run: <paramref name="problem"/> says why).</summary>
    public void Report(string name, NotebookRun? run, string? problem, TimeSpan elapsed)
    {
        _done++;
        var what = run is null
            ? $"✘ {name}: {problem}"
            : $"{(run.Succeeded ? "✔" : "✘")} {name}: {run.Cells.Count(c => c.Status != CellStatus.Succeeded)} of {run.Cells.Count} code cells failed, checks passed {run.Checks.Count(c => c.Status == CellStatus.Succeeded)}/{run.Checks.Count()}";
        var gone = _clock.Elapsed;
        var left = TimeSpan.FromTicks(gone.Ticks / _done * (total - _done));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{_done}/{total}] {what} ({elapsed.TotalSeconds:0.0} s) · {Clock(gone)} elapsed · {(_done == total ? "done" : $"about {Clock(left)} left")}"));
        writer.Flush();
    }

    private static string Clock(TimeSpan t) => t.ToString(t.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
