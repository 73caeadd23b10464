using System.Globalization;
using System.Text;

namespace Backprop;

/// <summary>
/// What happened during a training run, one <see cref="TrainingEntry"/> per epoch (gradient-descent
/// family) or per gradient evaluation (conjugate gradient, quasi-Newton), with every quantity also as
/// an array ready for a chart, and why the run stopped. Lesson 08 plots it; per-layer measurements come
/// from an <see cref="ITrainingObserver"/>.
/// </summary>
public sealed class TrainingHistory
{
    private readonly TrainingEntry[] _entries;

    internal TrainingHistory(string optimizer, string stepUnit, int trainingSetSize, IReadOnlyList<TrainingEntry> entries, StopCondition stop, string stopReason, int iterations)
    {
        Optimizer = optimizer;
        StepUnit = stepUnit;
        TrainingSetSize = trainingSetSize;
        _entries = [.. entries];
        StopCondition = stop;
        StopReason = stopReason;
        Iterations = iterations;
    }

    /// <summary>The optimiser and its hyper-parameters, e.g. "mini-batch SGD (batch 10, η = 0.1, μ = 0)".</summary>
    public string Optimizer { get; }

    /// <summary>What <see cref="TrainingEntry.Step"/> counts: "epoch" or "evaluation".</summary>
    public string StepUnit { get; }

    /// <summary>The number of training samples N.</summary>
    public int TrainingSetSize { get; }

    /// <summary>The recorded entries, in order.</summary>
    public IReadOnlyList<TrainingEntry> Entries => _entries;

    /// <summary>Why training stopped.</summary>
    public StopCondition StopCondition { get; }

    /// <summary>Why training stopped, in words: "converged", "iteration limit", "epoch limit", "diverged at evaluation 17", ….</summary>
    public string StopReason { get; }

    /// <summary>
    /// Completed epochs (gradient-descent family) or minimiser iterations (CG, quasi-Newton; 0 when the
    /// run ended by divergence or a failed line search, for which MathNet reports no count).
    /// </summary>
    public int Iterations { get; }

    /// <summary>The last entry (the state the network was left in, unless a better one was written back).</summary>
    /// <exception cref="InvalidOperationException">The history has no entries (a run cancelled or diverged before its first).</exception>
    public TrainingEntry Last => _entries.Length > 0
        ? _entries[^1]
        : throw new InvalidOperationException($"This history of {Optimizer} has no entries (it stopped: {StopReason}), so it has no last one.");

    /// <summary><see cref="TrainingEntry.Step"/> of every entry.</summary>
    public int[] Steps => Series(e => e.Step);

    /// <summary><see cref="TrainingEntry.GradientEvaluations"/> of every entry (as double, for chart axes).</summary>
    public double[] GradientEvaluations => Series(e => (double)e.GradientEvaluations);

    /// <summary><see cref="TrainingEntry.PassesOverData"/> of every entry.</summary>
    public double[] PassesOverData => Series(e => e.PassesOverData);

    /// <summary>The summed training loss L = Σ_n L_n of every entry.</summary>
    public double[] Loss => Series(e => e.Loss);

    /// <summary>The mean training loss L / N of every entry.</summary>
    public double[] MeanLoss => Series(e => e.MeanLoss);

    /// <summary>The lowest mean training loss seen up to each entry (line searches also try worse points).</summary>
    public double[] BestMeanLoss
    {
        get
        {
            double[] best = MeanLoss;
            for (int i = 1; i < best.Length; i++)
            {
                best[i] = Math.Min(best[i], best[i - 1]);
            }

            return best;
        }
    }

    /// <summary>The validation mean loss of every entry (NaN without a validation set).</summary>
    public double[] ValidationMeanLoss => Series(e => e.ValidationMeanLoss);

    /// <summary>The validation accuracy of every entry (NaN without a validation set).</summary>
    public double[] ValidationAccuracy => Series(e => e.ValidationAccuracy);

    /// <summary>The elapsed training time of every entry in seconds.</summary>
    public double[] Seconds => Series(e => e.Elapsed.TotalSeconds);

    /// <summary>The lowest mean training loss L / N of the run.</summary>
    public double BestMeanLossValue => _entries.Min(e => e.MeanLoss);

    /// <summary>The total wall-clock training time.</summary>
    public TimeSpan Elapsed => _entries.Length == 0 ? TimeSpan.Zero : _entries[^1].Elapsed;

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Optimizer}: {_entries.Length} entries, stopped: {StopReason}");
        if (_entries.Length > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; L/N {_entries[0].MeanLoss:G4} → {_entries[^1].MeanLoss:G4} in {_entries[^1].Elapsed.TotalSeconds:F2} s, {_entries[^1].GradientEvaluations} gradient evaluations");
        }

        return text.ToString();
    }

    private T[] Series<T>(Func<TrainingEntry, T> select) => _entries.Select(select).ToArray();
}
