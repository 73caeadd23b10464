using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Backprop;

/// <summary>
/// Quasi-Newton minimisation of the summed loss L(w) = Σ_n L_n(w): each step solves with an
/// approximation of the inverse Hessian built from the gradients seen so far (BFGS), followed by a line
/// search — no learning rate. By MathNet.Numerics' <see cref="BfgsMinimizer"/> for small networks and
/// <see cref="LimitedMemoryBfgsMinimizer"/> for large ones (BFGS stores |W|² doubles: 58 GB for the
/// 85,002 parameters of 64-256-256-10; see <see cref="BfgsParameterLimit"/>). Lesson 08.
/// </summary>
/// <remarks>
/// One history entry per gradient evaluation. Stops "converged" when MathNet's relative gradient
/// max_i |∂L/∂w_i| · max(|w_i|, 1) / max(|L|, 1) falls below <see cref="GradientTolerance"/> or the
/// weights stop moving (<see cref="ParameterTolerance"/>), otherwise at the "iteration limit"; in every
/// case the network ends with the best weights seen. Divergence throws <see cref="TrainingDivergedException"/>.
/// </remarks>
public sealed class QuasiNewton : IOptimizer
{
    /// <summary>The relative-gradient tolerance, &gt; 0 (default 1e-8).</summary>
    public double GradientTolerance { get; init => field = OptimizerChecks.Positive(value, nameof(GradientTolerance)); } = 1e-8;

    /// <summary>Stop when no weight changes by more than this (relative), &gt; 0 (default 1e-10).</summary>
    public double ParameterTolerance { get; init => field = OptimizerChecks.Positive(value, nameof(ParameterTolerance)); } = 1e-10;

    /// <summary>After 500 iterations, stop when L decreases by less than this, ≥ 0 (default 1e-12).</summary>
    public double FunctionProgressTolerance { get; init => field = OptimizerChecks.NonNegative(value, nameof(FunctionProgressTolerance)); } = 1e-12;

    /// <summary>The maximum number of iterations, ≥ 1 (default 1000).</summary>
    public int MaxIterations { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(MaxIterations)); } = 1000;

    /// <summary>BFGS or L-BFGS (default: chosen by the number of parameters).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of <see cref="QuasiNewtonMethod"/>'s, e.g. <c>(QuasiNewtonMethod)99</c>.</exception>
    public QuasiNewtonMethod Method { get; init => field = OptimizerChecks.Defined(value, nameof(Method)); } = QuasiNewtonMethod.Automatic;

    /// <summary>
    /// With <see cref="QuasiNewtonMethod.Automatic"/>, the largest |W| that uses BFGS, ≥ 1 (default 200).
    /// BFGS's memory allows about 2,000 parameters, but MathNet 5.0.0's dense update of the inverse
    /// Hessian is slow with its managed provider (measured here: about 15 ms per iteration at 100
    /// parameters, 50 ms at 310, 150 ms at 760), while L-BFGS costs O(m |W|) per iteration.
    /// </summary>
    public int BfgsParameterLimit { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(BfgsParameterLimit)); } = 200;

    /// <summary>The number of past steps L-BFGS remembers, ≥ 1 (default 10).</summary>
    public int Memory { get; init => field = OptimizerChecks.AtLeastOne(value, nameof(Memory)); } = 10;

    /// <inheritdoc/>
    public string Name => "quasi-Newton";

    /// <summary>The method used for a network: BFGS or L-BFGS.</summary>
    public QuasiNewtonMethod MethodFor(Mlp net)
    {
        ArgumentNullException.ThrowIfNull(net);
        return Method switch
        {
            QuasiNewtonMethod.Automatic => net.ParameterCount <= BfgsParameterLimit ? QuasiNewtonMethod.Bfgs : QuasiNewtonMethod.LimitedMemoryBfgs,
            _ => Method,
        };
    }

    /// <inheritdoc/>
    public TrainingHistory Train(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss) => Train(net, inputs, targets, loss, null, null);

    /// <inheritdoc/>
    public TrainingHistory Train(
        Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation, IProgress<TrainingProgress>? progress, ITrainingObserver? observer = null, CancellationToken cancellationToken = default)
    {
        QuasiNewtonMethod method = MethodFor(net);
        IUnconstrainedMinimizer minimizer = method == QuasiNewtonMethod.Bfgs
            ? new BfgsMinimizer(GradientTolerance, ParameterTolerance, FunctionProgressTolerance, MaxIterations)
            : new LimitedMemoryBfgsMinimizer(GradientTolerance, ParameterTolerance, FunctionProgressTolerance, Memory, MaxIterations);
        var data = TrainingData.Validated(net, inputs, targets, loss, validation);
        return LineSearchRun.Train(
            data, new HistoryRecorder(Describe(method), "evaluation", net, data, progress, observer),
            minimizer, MaxIterations, returnsAtLimit: method == QuasiNewtonMethod.LimitedMemoryBfgs, net, cancellationToken);
    }

    /// <inheritdoc/>
    public override string ToString() => Describe(Method);

    private string Describe(QuasiNewtonMethod method) => method switch
    {
        QuasiNewtonMethod.Bfgs => string.Create(CultureInfo.InvariantCulture, $"{Name} (BFGS, {MaxIterations} iterations)"),
        QuasiNewtonMethod.LimitedMemoryBfgs => string.Create(CultureInfo.InvariantCulture, $"{Name} (L-BFGS, memory {Memory}, {MaxIterations} iterations)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Name} (BFGS up to {BfgsParameterLimit} parameters, else L-BFGS; {MaxIterations} iterations)"),
    };
}
