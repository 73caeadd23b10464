using System.Globalization;

namespace Backprop.Lessons;

/// <summary>
/// A progress report for training runs inside a lesson: writes one line every <c>interval</c> entries
/// (and the last one of a run, when told the epoch count), synchronously and in order, so a reader
/// waiting for a run of more than a couple of seconds sees it move. Used by lessons 06 and 07.
/// </summary>
public sealed class TrainingProgressPrinter : IProgress<TrainingProgress>
{
    private readonly int _interval;
    private readonly string _label;
    private readonly TextWriter _output;

    /// <summary>Creates a printer.</summary>
    /// <param name="label">Printed at the start of every line, e.g. the activation's name.</param>
    /// <param name="interval">Print every this many steps (epochs), ≥ 1.</param>
    /// <param name="output">Where to write; null for <see cref="Console.Out"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">interval is below 1.</exception>
    public TrainingProgressPrinter(string label, int interval = 5, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (interval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"interval must be at least 1, but it is {interval}.");
        }

        _label = label;
        _interval = interval;
        _output = output ?? Console.Out;
    }

    /// <summary>Writes the entry when its step is a multiple of the interval (step 0, the initial weights, is skipped).</summary>
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        TrainingEntry e = value.Entry;
        if (e.Step > 0 && e.Step % _interval == 0)
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {_label}: step {e.Step}, L/N = {e.MeanLoss:F4}{(double.IsNaN(e.ValidationAccuracy) ? string.Empty : $", test accuracy {e.ValidationAccuracy:P1}")}, {e.Elapsed.TotalSeconds:F1} s"));
        }
    }
}
