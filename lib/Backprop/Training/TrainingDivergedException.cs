namespace Backprop;

/// <summary>
/// Thrown when training diverges: the loss, the gradient or a weight became NaN or infinite. The
/// message names the optimiser, where it happened and the learning rate, and suggests lowering it;
/// <see cref="History"/> holds everything recorded up to that point. The network is left with finite
/// weights: those from the start of the diverging epoch (gradient-descent family) or the best seen
/// (conjugate gradient, quasi-Newton).
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception with a message and the history so far.</summary>
    /// <param name="message">What diverged, where, and what to do.</param>
    /// <param name="optimizer">The optimiser's description.</param>
    /// <param name="step">The epoch (gradient-descent family) or gradient evaluation (CG, quasi-Newton) at which it diverged.</param>
    /// <param name="learningRate">The learning rate η, or null for optimisers without one.</param>
    /// <param name="history">The history up to the divergence.</param>
    /// <param name="innerException">The error that revealed the divergence, if any.</param>
    public TrainingDivergedException(string message, string optimizer, int step, double? learningRate, TrainingHistory history, Exception? innerException = null)
        : base(message, innerException)
    {
        Optimizer = optimizer;
        Step = step;
        LearningRate = learningRate;
        History = history;
    }

    /// <summary>The optimiser's description.</summary>
    public string Optimizer { get; }

    /// <summary>The epoch (gradient-descent family) or gradient evaluation (CG, quasi-Newton) at which training diverged.</summary>
    public int Step { get; }

    /// <summary>The learning rate η of the run, or null for conjugate gradient and quasi-Newton.</summary>
    public double? LearningRate { get; }

    /// <summary>Everything recorded up to the divergence; <see cref="TrainingHistory.StopCondition"/> is <see cref="StopCondition.Diverged"/>.</summary>
    public TrainingHistory History { get; }
}
