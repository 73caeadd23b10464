namespace Backprop;

/// <summary>
/// Watches a training run: <see cref="Observe"/> is called at every history entry measured on the whole
/// training set, with the network and the forward and backward pass over all N samples that the entry's
/// loss came from — so an observer can measure anything per layer (e.g. the lessons' gradient norms and
/// dead or saturated units) without another pass over the data, and the optimisers need no switch for it.
/// </summary>
/// <remarks>
/// Pass one to <see cref="IOptimizer.Train(Mlp, MathNet.Numerics.LinearAlgebra.Matrix{double}, MathNet.Numerics.LinearAlgebra.Matrix{double}, Loss, Dataset?, IProgress{TrainingProgress}?, ITrainingObserver?, CancellationToken)"/>.
/// It is called synchronously, in order, after the entry is added to the history and its progress reported;
/// its time is not counted in <see cref="TrainingEntry.Elapsed"/>. A gradient-descent run without the
/// whole-set measurement (<see cref="GradientDescentOptimizer.MeasureHistory"/> = false) has no such entries
/// and refuses an observer.
/// <para>An observer may only read: one that changes a weight of the network or the gradient it is shown stops training
/// with an <see cref="InvalidOperationException"/> naming what changed, instead of the optimiser taking the change for its own work.</para>
/// </remarks>
public interface ITrainingObserver
{
    /// <summary>Called at every measured history entry. The pass and gradients are read-only: an optimiser may reuse them for its next step.</summary>
    void Observe(TrainingObservation observation);
}
