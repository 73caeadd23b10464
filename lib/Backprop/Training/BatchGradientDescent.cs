using System.Globalization;

namespace Backprop;

/// <summary>
/// Batch gradient descent: every update uses the whole training set, w ← w − (η/N) ∇L with
/// L = Σ_n L_n (with momentum: v ← μ v − (η/N) ∇L, w ← w + v). Deterministic, no shuffling.
/// Defaults: η = 0.2, μ = 0.9, 1000 epochs (one update each). Lesson 08.
/// </summary>
/// <remarks>
/// η multiplies the mean gradient (1/N) ∇L, so η = 0.5 on 50 points is the step η = 0.01 on the
/// summed gradient. Each measured entry's evaluation is the next update's own gradient, so recording
/// costs almost nothing; without the measurement the entry of epoch e holds L at the weights before update e.
/// </remarks>
public sealed class BatchGradientDescent() : GradientDescentOptimizer(learningRate: 0.2, momentum: 0.9, epochs: 1000)
{
    /// <inheritdoc/>
    public override string Name => "batch GD";

    /// <inheritdoc/>
    private protected override int? ShuffleSeed => null;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (η = {LearningRate}, μ = {Momentum}, {Epochs} epochs)");

    /// <inheritdoc/>
    private protected override int BatchSizeFor(int sampleCount) => sampleCount;
}
