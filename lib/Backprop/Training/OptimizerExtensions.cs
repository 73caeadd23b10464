namespace Backprop;

/// <summary>Conveniences for <see cref="IOptimizer"/>.</summary>
public static class OptimizerExtensions
{
    /// <summary>Trains the network on a <see cref="Dataset"/>, optionally with a validation set, progress reports and an observer.</summary>
    public static TrainingHistory Train(
        this IOptimizer optimizer, Mlp net, Dataset training, Loss loss, Dataset? validation = null, IProgress<TrainingProgress>? progress = null, ITrainingObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(training);
        training.Validate();
        return optimizer.Train(net, training.Inputs, training.Targets, loss, validation, progress, observer);
    }
}
