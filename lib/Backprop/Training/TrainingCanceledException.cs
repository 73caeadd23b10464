namespace Backprop;

/// <summary>
/// Thrown when training is cancelled through the <see cref="CancellationToken"/> given to
/// <see cref="IOptimizer.Train(Mlp, MathNet.Numerics.LinearAlgebra.Matrix{double}, MathNet.Numerics.LinearAlgebra.Matrix{double}, Loss, Dataset?, IProgress{TrainingProgress}?, ITrainingObserver?, CancellationToken)"/>.
/// It is an <see cref="OperationCanceledException"/>, so code that cancels .NET work catches it as usual; <see cref="History"/>
/// holds everything recorded before. The run stops between steps, never inside one: the network holds the weights from
/// the end of the last completed epoch (gradient-descent family) or the best weights seen (conjugate gradient, quasi-Newton).
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception with a message, the history so far and the token that cancelled the run.</summary>
    /// <param name="message">Where training stopped and what the network holds.</param>
    /// <param name="optimizer">The optimiser's description.</param>
    /// <param name="step">The epoch (gradient-descent family) or gradient evaluation (CG, quasi-Newton) that was not completed.</param>
    /// <param name="history">The history up to the cancellation.</param>
    /// <param name="cancellationToken">The token that was cancelled.</param>
    public TrainingCanceledException(string message, string optimizer, int step, TrainingHistory history, CancellationToken cancellationToken)
        : base(message, cancellationToken)
    {
        Optimizer = optimizer;
        Step = step;
        History = history;
    }

    /// <summary>The optimiser's description.</summary>
    public string Optimizer { get; }

    /// <summary>The epoch (gradient-descent family) or gradient evaluation (CG, quasi-Newton) that was not completed.</summary>
    public int Step { get; }

    /// <summary>Everything recorded before the cancellation; <see cref="TrainingHistory.StopCondition"/> is <see cref="StopCondition.Canceled"/>.</summary>
    public TrainingHistory History { get; }
}
