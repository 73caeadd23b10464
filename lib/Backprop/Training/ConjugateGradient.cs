using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Backprop;

/// <summary>
/// Nonlinear conjugate gradient (Polak–Ribière with restarts) on the summed loss L(w) = Σ_n L_n(w), by
/// MathNet.Numerics' <see cref="ConjugateGradientMinimizer"/>: each new search direction is the
/// negative gradient plus a multiple of the previous direction, and a line search finds the step, so
/// there is no learning rate. Lesson 08.
/// </summary>
/// <remarks>
/// One history entry per gradient evaluation (the line search makes several per iteration), measured
/// from that evaluation's own forward and backward pass. Whatever happens — convergence, the iteration
/// limit, a failed line search — the network ends with the best weights seen; divergence (a NaN or
/// infinite loss) throws <see cref="TrainingDivergedException"/> after writing them back.
/// </remarks>
public sealed class ConjugateGradient : IOptimizer
{
    /// <summary>Stop when ‖∇L‖ falls below this, &gt; 0 (default 1e-6; the summed loss's gradient).</summary>
    public double GradientTolerance { get; init => field = OptimizerChecks.Positive(value, nameof(GradientTolerance)); } = 1e-6;

    /// <summary>The maximum number of iterations (line searches), ≥ 1 (default 500).</summary>
    public int MaxIterations { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(MaxIterations)); } = 500;

    /// <inheritdoc/>
    public string Name => "conjugate gradient";

    /// <inheritdoc/>
    public TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss) => Train(net, inputs, targets, loss, null, null);

    /// <inheritdoc/>
    public TrainingHistory Train(
        Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation, IProgress<TrainingProgress>? progress, ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var data = TrainingData.Validated(net, inputs, targets, loss, validation);
        return LineSearchRun.Train(
            data, new HistoryRecorder(ToString(), "evaluation", net, data, progress, observer),
            new ConjugateGradientMinimizer(GradientTolerance, MaxIterations), MaxIterations, returnsAtLimit: false, net, cancellationToken);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (‖∇L‖ < {GradientTolerance}, {MaxIterations} iterations)");
}
