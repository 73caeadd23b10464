using System.Diagnostics;
using System.Globalization;

namespace Backprop.Course.Running;

/// <summary>
/// The counting and timing behind the one-line-per-item progress of <c>run</c> (lessons) and <c>grade</c> (submissions):
/// "[done/total] what · m:ss elapsed · about m:ss left", the time left extrapolated from the pace so far. Report from one
/// thread at a time (the pools' completion callback does).
/// </summary>
internal sealed class ProgressCounter(int total, TextWriter writer)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _done;

    /// <summary>Counts one more finished item and writes its line.</summary>
    public void Report(string what)
    {
        _done++;
        var gone = _clock.Elapsed;
        var left = TimeSpan.FromTicks(gone.Ticks / _done * (total - _done));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{_done}/{total}] {what} · {Clock(gone)} elapsed · {(_done >= total ? "done" : $"about {Clock(left)} left")}"));
        writer.Flush();
    }

    /// <summary>m:ss, or h:mm:ss from an hour on.</summary>
    public static string Clock(TimeSpan t) => t.ToString(t.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
