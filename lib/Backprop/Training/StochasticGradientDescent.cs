using System.Globalization;

namespace Backprop;

/// <summary>
/// Online (stochastic) gradient descent, the lecture's first training method: one sample per update,
/// w ← w − η ∇L_n (with momentum: v ← μ v − η ∇L_n, w ← w + v), visiting the samples in a new random
/// order every epoch, drawn from <see cref="Seed"/>. Defaults: η = 0.01, μ = 0, 100 epochs. Lesson 08.
/// </summary>
public sealed class StochasticGradientDescent() : GradientDescentOptimizer(learningRate: 0.01, momentum: 0.0, epochs: 100)
{
    /// <summary>The seed of the per-epoch shuffles (default 0): the same seed gives the same run.</summary>
    public int Seed { get; init; }

    /// <inheritdoc/>
    public override string Name => "online SGD";

    /// <inheritdoc/>
    private protected override int? ShuffleSeed => Seed;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (η = {LearningRate}, μ = {Momentum}, {Epochs} epochs, seed {Seed})");

    /// <inheritdoc/>
    private protected override int BatchSizeFor(int sampleCount) => 1;
}
