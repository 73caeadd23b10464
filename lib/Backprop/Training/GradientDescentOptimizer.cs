using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The lecture's gradient-descent family, one loop behind three names: <see cref="StochasticGradientDescent"/>
/// (one sample per update), <see cref="MiniBatchGradientDescent"/> (a mini-batch per update) and
/// <see cref="BatchGradientDescent"/> (the whole training set per update). Each update of a batch B is
/// v ← μ v − (η/|B|) Σ_{n∈B} ∇L_n, w ← w + v (without momentum, w ← w − (η/|B|) Σ_{n∈B} ∇L_n). Lesson 08.
/// </summary>
/// <remarks>
/// <para>
/// The history has one entry per epoch (every <see cref="HistoryInterval"/> epochs and after the last); see
/// <see cref="MeasureHistory"/> for what an entry holds.
/// </para>
/// <para>
/// Divergence throws <see cref="TrainingDivergedException"/> naming the epoch and η, and leaves the network
/// with the finite weights from the start of that epoch: when the loss, the gradient or a weight becomes NaN
/// or infinite, and when the loss grows by orders of magnitude — a mean loss per sample above
/// <see cref="DivergenceFactor"/> × (L̄₀ + 1), where L̄₀ is the mean loss per sample at the initial weights
/// (entry 0's; without the measurement, the first batch's). The test reads each measured entry (without the
/// measurement: each epoch's mean batch loss). The + 1 keeps a loss that starts near 0 from counting as
/// diverged when it merely rises to an ordinary size; training that makes progress never comes near the bound,
/// while a too-large η multiplies the loss epoch after epoch.
/// </para>
/// </remarks>
public abstract class GradientDescentOptimizer : IOptimizer
{
    /// <summary>
    /// How many times the starting mean loss (plus 1) a mean loss must exceed to count as divergence: 1000,
    /// three orders of magnitude (see the remarks of <see cref="GradientDescentOptimizer"/>).
    /// </summary>
    public const double DivergenceFactor = GradientDescentRun.DivergenceFactor;

    private protected GradientDescentOptimizer(double learningRate, double momentum, int epochs)
    {
        LearningRate = learningRate;
        Momentum = momentum;
        Epochs = epochs;
    }

    /// <summary>The learning rate η &gt; 0, applied to the batch's mean gradient (default: 0.01 online, 0.1 mini-batch, 0.2 batch).</summary>
    public double LearningRate { get; init => field = OptimizerChecks.Positive(value, nameof(LearningRate)); }

    /// <summary>The momentum μ in [0, 1) (default 0; 0.9 for batch descent, which crawls along the valleys of L without it).</summary>
    public double Momentum { get; init => field = OptimizerChecks.Momentum(value); }

    /// <summary>The number of passes over the training set, ≥ 1 (default 100; 1000 for batch descent, one update per epoch).</summary>
    public int Epochs { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(Epochs)); }

    /// <summary>Record a history entry every this many epochs (and after the last), ≥ 1 (default 1).</summary>
    public int HistoryInterval { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(HistoryInterval)); } = 1;

    /// <summary>
    /// Whether the history entries are measured on the whole training set (default true).
    /// </summary>
    /// <remarks>
    /// <para>
    /// When true, entry 0 holds the initial weights and each recorded epoch ends with one forward and backward
    /// pass over all N samples: the entry's loss is L = Σ_n L_n at the epoch's end, and an
    /// <see cref="ITrainingObserver"/> sees that pass. The pass is left out of <see cref="TrainingEntry.Elapsed"/>;
    /// batch descent reuses it as its next update's gradient, so for it the measurement is free.
    /// </para>
    /// <para>
    /// When false, no extra pass is made — the run does exactly the work of the updates (the benchmark's
    /// setting): there is no entry 0, each entry's loss is the sum of the batch losses L_B = Σ_{n∈B} L_n the
    /// updates computed anyway during the epoch (each at the weights before its update), and an observer is
    /// refused. The updates, hence the trained weights, are identical either way, and so is divergence
    /// detection, from the batch losses and the weights. Validation metrics are measured either way.
    /// </para>
    /// </remarks>
    public bool MeasureHistory { get; init; } = true;

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>The optimiser and its hyper-parameters, as <see cref="TrainingHistory.Optimizer"/> shows them.</summary>
    public abstract override string ToString();

    /// <summary>The samples per update for a training set of <paramref name="sampleCount"/> samples.</summary>
    private protected abstract int BatchSizeFor(int sampleCount);

    /// <summary>The seed of the per-epoch shuffles, or null to visit the samples in order.</summary>
    private protected abstract int? ShuffleSeed { get; }

    /// <inheritdoc/>
    public TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss) => Train(net, inputs, targets, loss, null, null);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">An observer is given while <see cref="MeasureHistory"/> is false.</exception>
    public TrainingHistory Train(
        Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation, IProgress<TrainingProgress>? progress, ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        if (observer is not null && !MeasureHistory)
        {
            throw new ArgumentException(
                "observer needs entries measured on the whole training set, but MeasureHistory is false: set MeasureHistory = true, or train without an observer.", nameof(observer));
        }

        var data = TrainingData.Validated(net, inputs, targets, loss, validation);
        var recorder = new HistoryRecorder(ToString(), "epoch", net, data, progress, observer);
        var settings = new GradientDescentSettings(LearningRate, Momentum, Epochs, HistoryInterval, MeasureHistory, BatchSizeFor(data.Count), ShuffleSeed);
        return GradientDescentRun.Train(settings, net, data, recorder, cancellationToken);
    }
}
