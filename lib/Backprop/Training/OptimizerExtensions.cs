namespace Backprop;

/// <summary>Conveniences for <see cref="IOptimizer"/>.</summary>
public static class OptimizerExtensions
{
    /// <summary>
    /// Trains the network on a <see cref="Dataset"/>, optionally with a validation set, progress reports, an observer and a
    /// cancellation token (see <see cref="IOptimizer.Train(Mlp, MathNet.Numerics.LinearAlgebra.Matrix{double}, MathNet.Numerics.LinearAlgebra.Matrix{double}, Loss, Dataset?, IProgress{TrainingProgress}?, ITrainingObserver?, CancellationToken)"/>).
    /// </summary>
    public static TrainingHistory Train(
        this IOptimizer optimizer,
        Mlp net,
        Dataset training,
        Loss loss,
        Dataset? validation = null,
        IProgress<TrainingProgress>? progress = null,
        ITrainingObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(training);
        training.Validate();
        return optimizer.Train(net, training.Inputs, training.Targets, loss, validation, progress, observer, cancellationToken);
    }
}
