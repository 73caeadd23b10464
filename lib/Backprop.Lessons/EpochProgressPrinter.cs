using System.Globalization;

namespace Backprop.Lessons;

/// <summary>
/// A progress report for the epoch-based training runs of lessons 09 and 11: one line every <c>interval</c>
/// epochs, "label: epoch 5, L/N = …, test accuracy …, 0.4 s", written synchronously and in order.
/// Use it with an optimiser whose <see cref="TrainingEntry.Step"/> counts epochs (mini-batch and online gradient descent).
/// </summary>
public sealed class EpochProgressPrinter : IProgress<TrainingProgress>
{
    private readonly int _interval;
    private readonly string _label;
    private readonly TextWriter _output;

    /// <summary>Creates a printer.</summary>
    /// <param name="label">Printed at the start of every line, e.g. the activation's name.</param>
    /// <param name="interval">Print every this many epochs, ≥ 1.</param>
    /// <param name="output">Where to write; null for <see cref="Console.Out"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">interval is below 1.</exception>
    public EpochProgressPrinter(string label, int interval = 5, TextWriter? output = null)
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

    /// <summary>Writes the entry when its epoch is a multiple of the interval (epoch 0, the initial weights, is skipped).</summary>
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        TrainingEntry e = value.Entry;
        if (e.Step > 0 && e.Step % _interval == 0)
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {_label}: epoch {e.Step}, L/N = {e.MeanLoss:F4}{(double.IsNaN(e.ValidationAccuracy) ? string.Empty : $", test accuracy {e.ValidationAccuracy:P1}")}, {e.Elapsed.TotalSeconds:F1} s"));
        }
    }
}
