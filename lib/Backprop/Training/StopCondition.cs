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

    /// <summary>The loss, the gradient or a weight became NaN or infinite, or (gradient-descent family) the loss grew by orders of magnitude (<see cref="GradientDescentOptimizer.DivergenceFactor"/>).</summary>
    Diverged,

    /// <summary>The minimiser's line search gave up (e.g. no descent direction) with finite values.</summary>
    LineSearchFailed,

    /// <summary>The run's <see cref="CancellationToken"/> was cancelled (see <see cref="TrainingCanceledException"/>).</summary>
    Canceled,
}
