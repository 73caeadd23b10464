using System.Globalization;

namespace Backprop;

/// <summary>
/// Mini-batch stochastic gradient descent: the samples are shuffled every epoch (from <see cref="Seed"/>)
/// and cut into batches B of <see cref="BatchSize"/> (the last one may be smaller); each batch makes
/// one update with the mean gradient of its samples, w ← w − (η/|B|) Σ_{n∈B} ∇L_n (with momentum:
/// v ← μ v − (η/|B|) Σ ∇L_n, w ← w + v). Defaults: batches of 10, η = 0.1, μ = 0, 100 epochs. Lesson 08.
/// </summary>
/// <remarks>
/// The learning rate multiplies the batch's <em>mean</em> gradient, so the same η works for any batch
/// size; η = 0.1 with batches of 10 is the same step as η = 0.01 applied to the summed gradient.
/// </remarks>
public sealed class MiniBatchGradientDescent() : GradientDescentOptimizer(learningRate: 0.1, momentum: 0.0, epochs: 100)
{
    /// <summary>The samples per update, ≥ 1 and at most N (default 10).</summary>
    public int BatchSize { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(BatchSize)); } = 10;

    /// <summary>The seed of the per-epoch shuffles (default 0).</summary>
    public int Seed { get; init; }

    /// <inheritdoc/>
    public override string Name => "mini-batch SGD";

    /// <inheritdoc/>
    private protected override int? ShuffleSeed => Seed;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (batch {BatchSize}, η = {LearningRate}, μ = {Momentum}, {Epochs} epochs, seed {Seed})");

    /// <inheritdoc/>
    private protected override int BatchSizeFor(int sampleCount) => BatchSize <= sampleCount
        ? BatchSize
        : throw new ArgumentOutOfRangeException(
            nameof(BatchSize), BatchSize, $"BatchSize must not exceed the number of training samples, {sampleCount}, but it is {BatchSize}.");
}
