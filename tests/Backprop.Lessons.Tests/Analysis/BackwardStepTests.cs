using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Tests;

/// <summary>BackwardStep.cs: each backward step as weight factor × slope factor.</summary>
public sealed class BackwardStepTests
{
    public static TheoryData<string> Hidden => new() { "logistic", "tanh", "ReLU", "leaky ReLU", "ELU" };

    [Theory]
    [MemberData(nameof(Hidden))]
    public void The_two_factors_multiply_to_the_ratio_of_consecutive_delta_norms(string name)
    {
        Activation h = name switch
        {
            "logistic" => Activation.Logistic,
            "tanh" => Activation.Tanh,
            "ReLU" => Activation.ReLU,
            "leaky ReLU" => Activation.LeakyReLU(),
            _ => Activation.Elu(),
        };
        var random = new Random(3);
        var inputs = Matrix<double>.Build.Dense(40, 5, (_, _) => random.NextDouble() * 2 - 1);
        var targets = Matrix<double>.Build.Dense(40, 3, (n, k) => n % 3 == k ? 1.0 : 0.0);
        var net = new Mlp([5, 7, 6, 4, 3], h, Activation.Identity, seed: 2);
        BatchGradients g = net.Backward(net.Forward(inputs), targets, Loss.SoftmaxCrossEntropy);

        var steps = BackwardStep.Measure(net, inputs, targets, Loss.SoftmaxCrossEntropy);

        Assert.Equal([1, 2, 3], steps.Select(s => s.Layer));
        foreach (BackwardStep s in steps)
        {
            Assert.Equal(g.Delta(s.Layer).FrobeniusNorm() / g.Delta(s.Layer + 1).FrobeniusNorm(), s.Factor, 1e-12);
            Assert.InRange(s.SlopeFactor, 0.0, h.MaxDerivative + 1e-12);   // a weighted mean of |h'|
        }
    }

    [Fact]
    public void Large_weights_make_the_weight_factor_large_and_small_ones_small()
    {
        var random = new Random(5);
        var inputs = Matrix<double>.Build.Dense(50, 30, (_, _) => random.NextDouble());
        var targets = Matrix<double>.Build.Dense(50, 10, (n, k) => n % 10 == k ? 1.0 : 0.0);
        double Weight(double sigma) => BackwardStep.Measure(new Mlp([30, 30, 30, 10], Activation.Tanh, Activation.Identity, seed: 1, Initialisation.Normal(sigma)),
            inputs, targets, Loss.SoftmaxCrossEntropy)[0].WeightFactor;

        Assert.InRange(Weight(0.05), 0.05, 0.6);     // about σ_w √30 = 0.27
        Assert.InRange(Weight(3.0), 8.0, 30.0);      // about σ_w √30 = 16
    }

    [Fact]
    public void A_network_without_a_hidden_layer_is_refused()
    {
        var net = new Mlp([2, 1], Activation.Identity, Activation.Identity, seed: 1);
        var e = Assert.ThrowsAny<ArgumentException>(() => BackwardStep.Measure(net, Matrix<double>.Build.Dense(3, 2), Matrix<double>.Build.Dense(3, 1), Loss.HalfSumOfSquares));
        Assert.Equal("net", e.ParamName);
    }
}
