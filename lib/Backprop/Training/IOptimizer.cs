using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// A way to train an <see cref="Mlp"/>: to minimise the summed loss L(w) = Σ_n L_n(w) over a training
/// set by changing its weights in place. The kit has the lecture's five (lesson 08):
/// <see cref="StochasticGradientDescent"/>, <see cref="MiniBatchGradientDescent"/>,
/// <see cref="BatchGradientDescent"/>, <see cref="ConjugateGradient"/> and <see cref="QuasiNewton"/>.
/// </summary>
public interface IOptimizer
{
    /// <summary>A short name for chart legends, e.g. "mini-batch SGD".</summary>
    string Name { get; }

    /// <summary>Trains the network on inputs and targets (one row per sample) and returns what happened.</summary>
    /// <exception cref="ArgumentException">The data do not fit the network or the loss.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A hyper-parameter does not fit the data (e.g. a batch larger than N).</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite.</exception>
    TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss);

    /// <summary>
    /// Trains the network and also measures the loss and accuracy on a validation set at every
    /// history entry, reporting each entry as it is recorded and showing each measured one to an observer.
    /// </summary>
    /// <param name="net">The network; its weights are changed in place.</param>
    /// <param name="inputs">The training inputs, one row per sample.</param>
    /// <param name="targets">The training targets, one row per sample.</param>
    /// <param name="loss">The error function L_n.</param>
    /// <param name="validation">A validation set, or null.</param>
    /// <param name="progress">Receives every history entry as it is recorded, or null.</param>
    /// <param name="observer">Sees every entry measured on the whole training set with that evaluation's passes (<see cref="ITrainingObserver"/>), or null.</param>
    /// <param name="cancellationToken">Stops training between steps (updates or gradient evaluations) when cancelled, by a
    /// <see cref="TrainingCanceledException"/> that holds the history so far.</param>
    /// <exception cref="TrainingCanceledException">The token was cancelled (an <see cref="OperationCanceledException"/>).</exception>
    /// <exception cref="InvalidOperationException">The progress report or the observer changed a weight of the network (they may only read it);
    /// the message names the weight. Training stops with the weights put back as the optimiser set them (gradient-descent family)
    /// or at the initial weights (conjugate gradient, quasi-Newton).</exception>
    TrainingHistory Train(
        Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation, IProgress<TrainingProgress>? progress, ITrainingObserver? observer = null, CancellationToken cancellationToken = default);
}
