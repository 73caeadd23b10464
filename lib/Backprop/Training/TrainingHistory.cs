using System.Globalization;
using System.Text;

namespace Backprop;

/// <summary>Why a training run stopped.</summary>
public enum StopCondition
{
    /// <summary>The minimiser's convergence test passed (gradient or progress below its tolerance).</summary>
    Converged,

    /// <summary>The conjugate-gradient or quasi-Newton minimiser made its maximum number of iterations.</summary>
    IterationLimit,

    /// <summary>A gradient-descent optimiser completed all its epochs.</summary>
    EpochLimit,

    /// <summary>The loss, the gradient or a weight became NaN or infinite.</summary>
    Diverged,

    /// <summary>The minimiser's line search gave up (e.g. no descent direction) with finite values.</summary>
    LineSearchFailed,
}

/// <summary>
/// One entry of a <see cref="TrainingHistory"/>: the state of the network after an epoch (gradient
/// descent family; entry 0 = the initial weights) or at one gradient evaluation (conjugate gradient and
/// quasi-Newton), measured on the whole training set — unless a gradient-descent optimiser ran with
/// <c>MeasureHistory = false</c>: then there is no entry 0, <see cref="Loss"/> is the sum of the epoch's batch
/// losses seen by the updates, and the per-layer diagnostics are NaN.
/// </summary>
/// <param name="Step">The epoch (gradient-descent family, 0 = before training, measured histories only) or the gradient evaluation (CG, quasi-Newton, 1 = the initial weights).</param>
/// <param name="GradientEvaluations">Gradient evaluations so far: updates (one per sample or mini-batch) for the gradient-descent family, objective evaluations for CG and quasi-Newton. Diagnostic evaluations do not count.</param>
/// <param name="PassesOverData">Per-sample gradients computed so far divided by N: epochs for the gradient-descent family, evaluations for CG and quasi-Newton — a fair x axis for racing optimisers.</param>
/// <param name="Loss">The summed loss L = Σ_n L_n over the training set, the quantity the optimisers minimise; in an unmeasured gradient-descent entry (<c>MeasureHistory = false</c>) the sum over the epoch's mini-batches B of L_B = Σ_{n∈B} L_n, each at the weights before its update.</param>
/// <param name="MeanLoss">L / N, the mean loss per sample, comparable across data-set and batch sizes.</param>
/// <param name="ValidationMeanLoss">The mean loss per sample on the validation set, NaN without one.</param>
/// <param name="ValidationAccuracy">The arg-max accuracy on the validation set, NaN without one or for a single output.</param>
/// <param name="Elapsed">Wall-clock training time so far, without the time spent measuring the entries (except where the measurement is the optimiser's own gradient).</param>
/// <param name="WeightGradientNorms">Per layer l: ‖(1/N) ∂L/∂w‖ of <c>Layers[l]</c> without the bias column; NaN in unmeasured entries (as are the three diagnostics below).</param>
/// <param name="BiasGradientNorms">Per layer l: ‖(1/N) ∂L/∂w_j0‖, the bias column of <c>Layers[l]</c>'s gradient.</param>
/// <param name="DeadFractions">Per hidden layer: the fraction of dead ReLU units (a_j ≤ 0 for every training sample); NaN for other activations.</param>
/// <param name="SaturatedFractions">Per hidden layer: the fraction of (sample, unit) pairs of a σ/tanh layer with |h'(a_j)| &lt; <see cref="NetworkDiagnostics.SaturationThreshold"/>; NaN for other activations.</param>
public sealed record TrainingEntry(
    int Step,
    long GradientEvaluations,
    double PassesOverData,
    double Loss,
    double MeanLoss,
    double ValidationMeanLoss,
    double ValidationAccuracy,
    TimeSpan Elapsed,
    IReadOnlyList<double> WeightGradientNorms,
    IReadOnlyList<double> BiasGradientNorms,
    IReadOnlyList<double> DeadFractions,
    IReadOnlyList<double> SaturatedFractions)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"step {Step}: L = {Loss:G6}, L/N = {MeanLoss:G6}{(double.IsNaN(ValidationMeanLoss) ? string.Empty : $", validation L/N = {ValidationMeanLoss:G6}")}{(double.IsNaN(ValidationAccuracy) ? string.Empty : $", validation accuracy = {ValidationAccuracy:P1}")}");
}

/// <summary>A training progress report: the optimiser's name and the entry just recorded.</summary>
/// <param name="Optimizer">The optimiser's description, as in <see cref="TrainingHistory.Optimizer"/>.</param>
/// <param name="Entry">The entry just added to the history.</param>
public sealed record TrainingProgress(string Optimizer, TrainingEntry Entry)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Optimizer}, {Entry}";
}

/// <summary>
/// What happened during a training run, one <see cref="TrainingEntry"/> per epoch (gradient-descent
/// family) or per gradient evaluation (conjugate gradient, quasi-Newton), with every quantity also as
/// an array ready for a chart, and why the run stopped. Lessons 05 and 06 plot it.
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
    public TrainingEntry Last => _entries[^1];

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

    /// <summary><c>WeightGradientNorms[l][i]</c>: the weight-gradient norm of <c>Layers[l]</c> at entry i.</summary>
    public double[][] WeightGradientNorms => PerLayer(e => e.WeightGradientNorms);

    /// <summary><c>BiasGradientNorms[l][i]</c>: the bias-gradient norm of <c>Layers[l]</c> at entry i.</summary>
    public double[][] BiasGradientNorms => PerLayer(e => e.BiasGradientNorms);

    /// <summary><c>DeadFractions[h][i]</c>: the dead-ReLU fraction of hidden layer h (= <c>Layers[h]</c>) at entry i.</summary>
    public double[][] DeadFractions => PerLayer(e => e.DeadFractions);

    /// <summary><c>SaturatedFractions[h][i]</c>: the saturated σ/tanh fraction of hidden layer h at entry i.</summary>
    public double[][] SaturatedFractions => PerLayer(e => e.SaturatedFractions);

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

    private double[][] PerLayer(Func<TrainingEntry, IReadOnlyList<double>> select)
    {
        int layers = _entries.Length == 0 ? 0 : select(_entries[0]).Count;
        return Enumerable.Range(0, layers).Select(l => _entries.Select(e => select(e)[l]).ToArray()).ToArray();
    }
}
