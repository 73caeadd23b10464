using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// Online (stochastic) gradient descent, the lecture's first training method: one sample per update,
/// w ← w − η ∇L_n (with momentum: v ← μ v − η ∇L_n, w ← w + v), visiting the samples in a new random
/// order every epoch, drawn from <see cref="Seed"/>. Lesson 05.
/// </summary>
/// <remarks>
/// One history entry per epoch (every <see cref="HistoryInterval"/> epochs and after the last), measured
/// by one extra forward and backward pass over the whole training set; that measurement is not counted
/// in the elapsed time. Set <see cref="HistoryInterval"/> higher to make long runs cheaper, or
/// <see cref="MeasureHistory"/> = false to record only the batch losses the updates compute anyway.
/// </remarks>
public sealed class StochasticGradientDescent : IOptimizer
{
    /// <summary>The learning rate η &gt; 0 (default 0.01).</summary>
    public double LearningRate { get; init => field = OptimizerChecks.Positive(value, nameof(LearningRate)); } = 0.01;

    /// <summary>The momentum μ in [0, 1) (default 0: plain SGD).</summary>
    public double Momentum { get; init => field = OptimizerChecks.Momentum(value); }

    /// <summary>The number of passes over the training set, ≥ 1 (default 100).</summary>
    public int Epochs { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(Epochs)); } = 100;

    /// <summary>The seed of the per-epoch shuffles (default 0): the same seed gives the same run.</summary>
    public int Seed { get; init; }

    /// <summary>Record a history entry every this many epochs (and after the last), ≥ 1 (default 1).</summary>
    public int HistoryInterval { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(HistoryInterval)); } = 1;

    /// <summary>
    /// Whether the history entries are measured on the whole training set (default true). When true, entry 0
    /// holds the initial weights and every recorded epoch costs one extra forward and backward pass over all N
    /// samples for L, the per-layer gradient norms and the dead/saturated fractions (lesson 05's charts; the
    /// time is left out of <see cref="TrainingEntry.Elapsed"/>). When false, no extra pass is made: there is no
    /// entry 0, and each recorded epoch's entry holds, as <see cref="TrainingEntry.Loss"/>, the sum of the batch
    /// losses L_B = Σ_{n∈B} L_n the updates computed anyway during that epoch — the loss as the optimiser sees
    /// it, each at the weights before its update, not L at the epoch's end — and
    /// <see cref="TrainingEntry.MeanLoss"/> = that / N; the per-layer gradient norms and dead/saturated
    /// fractions are NaN. Validation metrics are still measured when a validation set is given (one forward
    /// pass over it per entry). The updates, hence the trained weights, are identical either way; divergence
    /// is still detected from the batch losses and the weights (a <see cref="TrainingDivergedException"/> leaves
    /// the finite weights from the start of the diverging epoch, whose whole-set loss, unmeasured, may overflow).
    /// </summary>
    public bool MeasureHistory { get; init; } = true;

    /// <inheritdoc/>
    public string Name => "online SGD";

    /// <inheritdoc/>
    public TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss) => Train(net, inputs, targets, loss, null, null);

    /// <inheritdoc/>
    public TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation, IProgress<TrainingProgress>? progress) =>
        GradientDescentRun.Train(new(ToString(), 1, LearningRate, Momentum, Epochs, Seed, Shuffle: true, HistoryInterval, MeasureHistory), net, inputs, targets, loss, validation, progress);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (η = {LearningRate}, μ = {Momentum}, {Epochs} epochs, seed {Seed})");
}

/// <summary>
/// Mini-batch stochastic gradient descent: the samples are shuffled every epoch (from <see cref="Seed"/>)
/// and cut into batches B of <see cref="BatchSize"/> (the last one may be smaller); each batch makes
/// one update with the mean gradient of its samples, w ← w − (η/|B|) Σ_{n∈B} ∇L_n (with momentum:
/// v ← μ v − (η/|B|) Σ ∇L_n, w ← w + v). Lesson 05.
/// </summary>
/// <remarks>
/// The learning rate multiplies the batch's <em>mean</em> gradient, so the same η works for any batch
/// size; η = 0.1 with batches of 10 is the same step as η = 0.01 applied to the summed gradient.
/// One history entry per epoch as for <see cref="StochasticGradientDescent"/> (see <see cref="MeasureHistory"/>).
/// </remarks>
public sealed class MiniBatchGradientDescent : IOptimizer
{
    /// <summary>The samples per update, ≥ 1 and at most N (default 10).</summary>
    public int BatchSize { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(BatchSize)); } = 10;

    /// <summary>The learning rate η &gt; 0 applied to the batch's mean gradient (default 0.1).</summary>
    public double LearningRate { get; init => field = OptimizerChecks.Positive(value, nameof(LearningRate)); } = 0.1;

    /// <summary>The momentum μ in [0, 1) (default 0).</summary>
    public double Momentum { get; init => field = OptimizerChecks.Momentum(value); }

    /// <summary>The number of passes over the training set, ≥ 1 (default 100).</summary>
    public int Epochs { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(Epochs)); } = 100;

    /// <summary>The seed of the per-epoch shuffles (default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Record a history entry every this many epochs (and after the last), ≥ 1 (default 1).</summary>
    public int HistoryInterval { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(HistoryInterval)); } = 1;

    /// <summary>
    /// Whether the history entries are measured on the whole training set (default true). When true, entry 0
    /// holds the initial weights and every recorded epoch costs one extra forward and backward pass over all N
    /// samples for L, the per-layer gradient norms and the dead/saturated fractions (lesson 05's charts; the
    /// time is left out of <see cref="TrainingEntry.Elapsed"/>). When false, no extra pass is made: there is no
    /// entry 0, and each recorded epoch's entry holds, as <see cref="TrainingEntry.Loss"/>, the sum of the batch
    /// losses L_B = Σ_{n∈B} L_n the updates computed anyway during that epoch — the loss as the optimiser sees
    /// it, each at the weights before its update, not L at the epoch's end — and
    /// <see cref="TrainingEntry.MeanLoss"/> = that / N; the per-layer gradient norms and dead/saturated
    /// fractions are NaN. Validation metrics are still measured when a validation set is given (one forward
    /// pass over it per entry). The updates, hence the trained weights, are identical either way; divergence
    /// is still detected from the batch losses and the weights (a <see cref="TrainingDivergedException"/> leaves
    /// the finite weights from the start of the diverging epoch, whose whole-set loss, unmeasured, may overflow).
    /// </summary>
    public bool MeasureHistory { get; init; } = true;

    /// <inheritdoc/>
    public string Name => "mini-batch SGD";

    /// <inheritdoc/>
    public TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss) => Train(net, inputs, targets, loss, null, null);

    /// <inheritdoc/>
    public TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation, IProgress<TrainingProgress>? progress) =>
        GradientDescentRun.Train(new(ToString(), BatchSize, LearningRate, Momentum, Epochs, Seed, Shuffle: true, HistoryInterval, MeasureHistory), net, inputs, targets, loss, validation, progress);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (batch {BatchSize}, η = {LearningRate}, μ = {Momentum}, {Epochs} epochs, seed {Seed})");
}

/// <summary>
/// Batch gradient descent: every update uses the whole training set, w ← w − (η/N) ∇L with
/// L = Σ_n L_n (with momentum: v ← μ v − (η/N) ∇L, w ← w + v). Deterministic, no shuffling. Lesson 05.
/// </summary>
/// <remarks>
/// η multiplies the mean gradient (1/N) ∇L, so η = 0.5 on 50 points is the step η = 0.01 on the
/// summed gradient. One epoch is one update; each entry's measurement is the next update's own
/// gradient, so recording costs almost nothing. With <see cref="MeasureHistory"/> = false the entry of
/// epoch e holds L at the weights before update e (the whole set is the one batch), and no entry 0.
/// </remarks>
public sealed class BatchGradientDescent : IOptimizer
{
    /// <summary>The learning rate η &gt; 0 applied to the mean gradient (default 0.2).</summary>
    public double LearningRate { get; init => field = OptimizerChecks.Positive(value, nameof(LearningRate)); } = 0.2;

    /// <summary>The momentum μ in [0, 1) (default 0.9: plain batch descent crawls along the valleys of L).</summary>
    public double Momentum { get; init => field = OptimizerChecks.Momentum(value); } = 0.9;

    /// <summary>The number of updates (epochs), ≥ 1 (default 1000).</summary>
    public int Epochs { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(Epochs)); } = 1000;

    /// <summary>Record a history entry every this many epochs (and after the last), ≥ 1 (default 1).</summary>
    public int HistoryInterval { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(HistoryInterval)); } = 1;

    /// <summary>
    /// Whether the history entries are measured on the whole training set (default true). When true, entry 0
    /// holds the initial weights and every recorded epoch costs one extra forward and backward pass over all N
    /// samples for L, the per-layer gradient norms and the dead/saturated fractions (lesson 05's charts; the
    /// time is left out of <see cref="TrainingEntry.Elapsed"/>). When false, no extra pass is made: there is no
    /// entry 0, and each recorded epoch's entry holds, as <see cref="TrainingEntry.Loss"/>, the sum of the batch
    /// losses L_B = Σ_{n∈B} L_n the updates computed anyway during that epoch — the loss as the optimiser sees
    /// it, each at the weights before its update, not L at the epoch's end — and
    /// <see cref="TrainingEntry.MeanLoss"/> = that / N; the per-layer gradient norms and dead/saturated
    /// fractions are NaN. Validation metrics are still measured when a validation set is given (one forward
    /// pass over it per entry). The updates, hence the trained weights, are identical either way; divergence
    /// is still detected from the batch losses and the weights (a <see cref="TrainingDivergedException"/> leaves
    /// the finite weights from the start of the diverging epoch, whose whole-set loss, unmeasured, may overflow).
    /// </summary>
    public bool MeasureHistory { get; init; } = true;

    /// <inheritdoc/>
    public string Name => "batch GD";

    /// <inheritdoc/>
    public TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss) => Train(net, inputs, targets, loss, null, null);

    /// <inheritdoc/>
    public TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation, IProgress<TrainingProgress>? progress) =>
        GradientDescentRun.Train(new(ToString(), 0, LearningRate, Momentum, Epochs, 0, Shuffle: false, HistoryInterval, MeasureHistory), net, inputs, targets, loss, validation, progress);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (η = {LearningRate}, μ = {Momentum}, {Epochs} epochs)");
}

/// <summary>Hyper-parameter checks shared by the optimisers: ArgumentOutOfRangeException naming the property.</summary>
internal static class OptimizerChecks
{
    public static double Positive(double value, string name)
    {
        if (!(value > 0.0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, but it is {Guard.Describe(value)}.");
        }

        return value;
    }

    public static double NonNegative(double value, string name)
    {
        if (!(value >= 0.0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0, but it is {Guard.Describe(value)}.");
        }

        return value;
    }

    public static double Momentum(double value)
    {
        if (!(value >= 0.0 && value < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), value, $"Momentum must lie in [0, 1), but it is {Guard.Describe(value)}.");
        }

        return value;
    }

    public static int AtLeastOne(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, but it is {value}.");
        }

        return value;
    }
}
