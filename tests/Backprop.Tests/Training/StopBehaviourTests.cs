using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Backprop.Tests.Training;

/// <summary>How runs end: the iteration limit, convergence, divergence — always with a reason and the best weights.</summary>
public sealed class StopBehaviourTests
{
    public static TheoryData<string> LineSearchOptimizers => ["CG", "BFGS", "L-BFGS"];

    private static IOptimizer LineSearch(string name, int maxIterations) => name switch
    {
        "CG" => new ConjugateGradient { MaxIterations = maxIterations },
        "BFGS" => new QuasiNewton { Method = QuasiNewtonMethod.Bfgs, MaxIterations = maxIterations },
        _ => new QuasiNewton { Method = QuasiNewtonMethod.LimitedMemoryBfgs, MaxIterations = maxIterations },
    };

    [Theory]
    [MemberData(nameof(LineSearchOptimizers))]
    public void TheIterationLimitEndsEveryMinimiserTheSameWay(string name)
    {
        Dataset data = TrainingData.Sine;
        Mlp net = TrainingData.CurveNet();

        TrainingHistory history = LineSearch(name, 5).Train(net, data, Loss.HalfSumOfSquares);

        Assert.Equal(StopCondition.IterationLimit, history.StopCondition);
        Assert.Equal("iteration limit", history.StopReason);
        Assert.Equal(5, history.Iterations);
        Assert.True(history.Entries.Count > 5, $"{name}: {history.Entries.Count} evaluations for 5 iterations (each line search evaluates at least once).");
        Assert.Equal(Enumerable.Range(1, history.Entries.Count), history.Steps);

        // The network holds the best weights seen.
        double best = history.Loss.Min();
        Assert.Equal(best, net.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares), 12);
        Assert.True(best < history.Entries[0].Loss);
    }

    [Theory]
    [MemberData(nameof(LineSearchOptimizers))]
    public void ConvergenceIsReportedAsSuch(string name)
    {
        // A linear model of a linear function: a convex quadratic that every minimiser solves quickly.
        var net = new Mlp([1, 1], [Activation.Identity], seed: 0);
        var x = Matrix<double>.Build.Dense(5, 1, [-1.0, -0.5, 0.0, 0.5, 1.0]);
        var t = Matrix<double>.Build.Dense(5, 1, (i, _) => (0.5 * x[i, 0]) + 0.25);

        TrainingHistory history = LineSearch(name, 200).Train(net, x, t, Loss.HalfSumOfSquares);

        Assert.Equal(StopCondition.Converged, history.StopCondition);
        Assert.Equal("converged", history.StopReason);
        Assert.True(history.Iterations < 200);
        Assert.Equal(0.25, net.Layers[0].Weights[0, 0], 4);
        Assert.Equal(0.5, net.Layers[0].Weights[0, 1], 4);
    }

    public static TheoryData<string> Minimizers => ["CG", "BFGS", "L-BFGS"];

    private static (IUnconstrainedMinimizer Minimizer, bool ReturnsAtLimit) Minimizer(string name, int maxIterations) => name switch
    {
        "CG" => (new ConjugateGradientMinimizer(1e-10, maxIterations), false),
        "BFGS" => (new BfgsMinimizer(1e-10, 1e-12, 1e-12, maxIterations), false),
        _ => (new LimitedMemoryBfgsMinimizer(1e-10, 1e-12, 1e-12, 5, maxIterations), true),
    };

    /// <summary>Rosenbrock's function, a curved valley no minimiser solves in a few iterations.</summary>
    private static (double, Vector<double>) Rosenbrock(Vector<double> w)
    {
        double a = 1.0 - w[0];
        double b = w[1] - (w[0] * w[0]);
        return ((a * a) + (100.0 * b * b), Vector<double>.Build.DenseOfArray([(-2.0 * a) - (400.0 * w[0] * b), 200.0 * b]));
    }

    [Theory]
    [MemberData(nameof(Minimizers))]
    public void AtTheLimitTheMinimiserKeepsTheBestPointAndCountsIterationsNotEvaluations(string name)
    {
        (IUnconstrainedMinimizer minimizer, bool returnsAtLimit) = Minimizer(name, 4);
        var values = new List<double>();

        MinimizerOutcome outcome = LineSearchRun.Minimize(minimizer, 4, returnsAtLimit, w => { var r = Rosenbrock(w); values.Add(r.Item1); return r; }, Vector<double>.Build.DenseOfArray([-1.2, 1.0]));

        Assert.Equal(StopCondition.IterationLimit, outcome.Stop);
        Assert.Equal(4, outcome.Iterations);
        Assert.Equal(values.Count, outcome.Evaluations);
        Assert.Equal(values.Min(), outcome.BestValue);
        Assert.Equal(values.Min(), Rosenbrock(outcome.Best!).Item1);
    }

    [Theory]
    [MemberData(nameof(Minimizers))]
    public void ANonFiniteValueIsReportedAsDivergenceAtThatEvaluation(string name)
    {
        (IUnconstrainedMinimizer minimizer, bool returnsAtLimit) = Minimizer(name, 1000);
        var values = new List<double>();

        MinimizerOutcome outcome = LineSearchRun.Minimize(minimizer, 1000, returnsAtLimit, w =>
        {
            if (values.Count == 6)
            {
                return (double.NaN, Vector<double>.Build.Dense(2));
            }

            var r = Rosenbrock(w);
            values.Add(r.Item1);
            return r;
        }, Vector<double>.Build.DenseOfArray([-1.2, 1.0]));

        Assert.Equal(StopCondition.Diverged, outcome.Stop);
        Assert.Equal(7, outcome.DivergedAt);
        Assert.Equal("diverged at evaluation 7", outcome.Reason);
        Assert.Equal(values.Min(), outcome.BestValue);
    }

    [Theory]
    [MemberData(nameof(Minimizers))]
    public void AnOverflowIsReportedAsDivergenceAndTheMinimisersPointIsNeverModified(string name)
    {
        (IUnconstrainedMinimizer minimizer, bool returnsAtLimit) = Minimizer(name, 1000);
        int calls = 0;
        var seen = new List<(Vector<double> Point, double[] Copy)>();

        MinimizerOutcome outcome = LineSearchRun.Minimize(minimizer, 1000, returnsAtLimit, w =>
        {
            seen.Add((w, w.ToArray()));
            return ++calls == 5 ? throw new ArithmeticException("overflow") : Rosenbrock(w);
        }, Vector<double>.Build.DenseOfArray([-1.2, 1.0]));

        Assert.Equal(StopCondition.Diverged, outcome.Stop);
        Assert.Equal(5, outcome.DivergedAt);
        Assert.IsType<ArithmeticException>(outcome.Error);
        Assert.All(seen, s => Assert.Equal(s.Copy, s.Point.ToArray()));
    }

    [Theory]
    [InlineData(nameof(StochasticGradientDescent))]
    [InlineData(nameof(MiniBatchGradientDescent))]
    [InlineData(nameof(BatchGradientDescent))]
    public void ATooLargeLearningRateThrowsAClearDivergenceWithTheHistory(string name)
    {
        Dataset data = TrainingData.DigitsSubset;
        var net = new Mlp([64, 10, 10], Activation.Tanh, Activation.Identity, seed: 0);
        IOptimizer optimizer = name switch
        {
            nameof(StochasticGradientDescent) => new StochasticGradientDescent { LearningRate = 1e6, Epochs = 5 },
            nameof(MiniBatchGradientDescent) => new MiniBatchGradientDescent { LearningRate = 1e6, Epochs = 5 },
            _ => new BatchGradientDescent { LearningRate = 1e6, Epochs = 50 },
        };

        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() => optimizer.Train(net, data, Loss.HalfSumOfSquares));

        Assert.Contains(optimizer.Name, e.Message);
        Assert.Contains("epoch", e.Message);
        Assert.Contains("η = 1000000", e.Message);
        Assert.Contains("Lower the learning rate", e.Message);
        Assert.Equal(1e6, e.LearningRate);
        Assert.True(e.Step >= 1);
        Assert.Equal(StopCondition.Diverged, e.History.StopCondition);
        Assert.StartsWith("diverged at epoch", e.History.StopReason);
        Assert.NotEmpty(e.History.Entries);
        Assert.All(net.GetParameters(), w => Assert.True(double.IsFinite(w)));
        Assert.True(double.IsFinite(net.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares)));
    }

    [Theory]
    [InlineData(QuasiNewtonMethod.Bfgs)]
    [InlineData(QuasiNewtonMethod.LimitedMemoryBfgs)]
    public void AQuasiNewtonRunThatDivergesThrowsWithTheBestWeightsWrittenBack(QuasiNewtonMethod method)
    {
        // Inputs of 1e100 make the curvature enormous: the first quasi-Newton step (length 1 along the
        // scaled direction) overflows the weights.
        var net = new Mlp([1, 2, 1], Activation.Identity, Activation.Identity, seed: 0);
        var x = Matrix<double>.Build.Dense(3, 1, [1e100, -2e100, 3e100]);
        var t = Matrix<double>.Build.Dense(3, 1, [0.0, 1.0, 0.0]);
        double initial = net.ComputeLoss(x, t, Loss.HalfSumOfSquares);
        var optimizer = new QuasiNewton { Method = method };

        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() => optimizer.Train(net, x, t, Loss.HalfSumOfSquares));

        Assert.Equal(StopCondition.Diverged, e.History.StopCondition);
        Assert.Equal($"diverged at evaluation {e.Step}", e.History.StopReason);
        Assert.Contains("quasi-Newton", e.Message);
        Assert.Contains($"evaluation {e.Step}", e.Message);
        Assert.Null(e.LearningRate);
        Assert.Equal(e.Step - 1, e.History.Entries.Count);
        double final = net.ComputeLoss(x, t, Loss.HalfSumOfSquares);
        Assert.True(final <= initial);
        Assert.Equal(e.History.Loss.Min(), final);
    }
}
