using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Tests;

/// <summary>UpdateRatios.cs: a step's update next to the weights, per layer.</summary>
public sealed class UpdateRatiosTests
{
    private static (Matrix<double> X, Matrix<double> T) Data(int rows)
    {
        var random = new Random(7);
        return (Matrix<double>.Build.Dense(rows, 4, (_, _) => random.NextDouble() * 2 - 1), Matrix<double>.Build.Dense(rows, 2, (n, k) => (n + k) % 2));
    }

    [Fact]
    public void One_batch_ratio_is_the_relative_change_of_one_mini_batch_step()
    {
        var (x, t) = Data(10);
        var net = new Mlp([4, 6, 2], Activation.Tanh, Activation.Identity, seed: 3);
        var before = net.Clone();
        double[] ratios = UpdateRatios.OfSteps(net, x, t, Loss.HalfSumOfSquares, learningRate: 0.05, batchSize: 10, batches: 1);

        new BatchGradientDescent { LearningRate = 0.05, Epochs = 1 }.Train(net, new Dataset("ten samples", x, t), Loss.HalfSumOfSquares);

        Assert.Equal(LayerStatistics.RelativeWeightChanges(before, net), ratios, new DoubleTolerance(1e-12));
    }

    [Fact]
    public void The_ratio_grows_with_the_learning_rate_and_bad_arguments_are_named()
    {
        var (x, t) = Data(40);
        var net = new Mlp([4, 6, 2], Activation.Tanh, Activation.Identity, seed: 3);
        double[] small = UpdateRatios.OfSteps(net, x, t, Loss.HalfSumOfSquares, 0.01, batchSize: 4);
        double[] large = UpdateRatios.OfSteps(net, x, t, Loss.HalfSumOfSquares, 0.1, batchSize: 4);

        Assert.Equal(2, small.Length);
        Assert.All(small, r => Assert.True(r > 0));
        Assert.Equal("learningRate", Assert.ThrowsAny<ArgumentException>(() => UpdateRatios.OfSteps(net, x, t, Loss.HalfSumOfSquares, 0)).ParamName);
        Assert.Equal("inputs", Assert.ThrowsAny<ArgumentException>(() => UpdateRatios.OfSteps(net, x, t, Loss.HalfSumOfSquares, 0.1, batchSize: 10, batches: 5)).ParamName);
        Assert.Equal("batches", Assert.ThrowsAny<ArgumentException>(() => UpdateRatios.OfSteps(net, x, t, Loss.HalfSumOfSquares, 0.1, batches: 0)).ParamName);
        Assert.True(large[0] > small[0]);
    }

    private sealed class DoubleTolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(a));

        public int GetHashCode(double value) => 0;
    }
}
