using MathNet.Numerics.LinearAlgebra;

using Backprop.Tests;

namespace Backprop.Lessons.Tests;

public sealed class LayerStatisticsTests
{
    private static Matrix<double> X(int inputs, int samples = 20, int seed = 3) => TestSupport.RandomInputs(new Random(seed), samples, inputs);

    [Fact]
    public void FirstToLastRatio_divides_the_first_hidden_norm_by_the_last_hidden_norm()
    {
        Assert.Equal(0.01 / 0.5, LayerStatistics.FirstToLastRatio([0.01, 0.1, 0.5, 7.0]));
        TestSupport.AssertThrows<ArgumentException>(() => LayerStatistics.FirstToLastRatio([1.0, 2.0]), "perLayerNorms", "3 or more", "has 2");
        TestSupport.AssertThrows<ArgumentException>(() => LayerStatistics.FirstToLastRatio([1.0, 0.0, 2.0]), "perLayerNorms", "entry 1");
        TestSupport.AssertThrows<ArgumentException>(() => LayerStatistics.FirstToLastRatio([1.0, double.NaN, 2.0]), "perLayerNorms");
    }

    [Fact]
    public void FirstToLastRatio_of_a_network_uses_its_mean_bias_gradient_norms()
    {
        var net = new Mlp([2, 5, 5, 5, 1], Activation.Logistic, Activation.Identity, seed: 1);
        Matrix<double> x = X(2), t = Matrix<double>.Build.Dense(20, 1, (n, _) => n % 2);
        double[] norms = LayerStatistics.MeanBiasGradientNorms(net, x, t, Loss.HalfSumOfSquares);
        Assert.Equal(norms[0] / norms[^2], LayerStatistics.FirstToLastRatio(net, x, t, Loss.HalfSumOfSquares));
    }

    [Fact]
    public void Large_weights_saturate_sigmoid_layers_and_rectifier_layers_report_NaN()
    {
        var small = new Mlp([3, 6, 6, 1], Activation.Tanh, Activation.Identity, seed: 2, Initialisation.Normal(0.01));
        var large = new Mlp([3, 6, 6, 1], Activation.Tanh, Activation.Identity, seed: 2, Initialisation.Normal(30));
        Assert.All(LayerStatistics.SaturatedFractions(small, X(3)), f => Assert.Equal(0.0, f));
        Assert.All(LayerStatistics.SaturatedFractions(large, X(3)), f => Assert.True(f > 0.5, $"fraction {f}"));
        Assert.All(LayerStatistics.SaturatedFractions(new Mlp([3, 6, 1], Activation.ReLU, Activation.Identity, 2), X(3)), f => Assert.True(double.IsNaN(f)));
        Assert.Equal(2, LayerStatistics.SaturatedFractions(small, X(3)).Length);
    }

    [Fact]
    public void UnitSaturatedFractions_counts_samples_per_unit()
    {
        // Unit 0 saturated on 2 of 4 samples (|a| = 10), unit 1 never.
        Matrix<double> a = Matrix<double>.Build.DenseOfArray(new[,] { { 10.0, 0.0 }, { -10.0, 0.1 }, { 0.0, 0.2 }, { 0.5, -0.3 } });
        Assert.Equal([0.5, 0.0], LayerStatistics.UnitSaturatedFractions(Activation.Logistic, a));
        TestSupport.AssertThrows<ArgumentException>(() => LayerStatistics.UnitSaturatedFractions(Activation.ReLU, a), "activation", "ReLU");
        TestSupport.AssertArgumentException(() => LayerStatistics.UnitSaturatedFractions(Activation.Tanh, a, 0.0), "threshold");
    }

    [Fact]
    public void Units_with_negative_activations_for_every_sample_are_inactive_and_have_zero_gradient()
    {
        var net = new Mlp([2, 4, 1], Activation.ReLU, Activation.Identity, seed: 5);
        Matrix<double> w = net.Layers[0].Weights;
        w[1, 0] = -100; // unit 2: a_j < 0 for every input in [−1, 1]²
        w[3, 0] = -100; // unit 4 too
        Matrix<double> x = X(2), t = Matrix<double>.Build.Dense(20, 1, 0.5);

        Assert.Equal([0.5], LayerStatistics.InactiveFractions(net, x));
        Assert.Equal([0.5], LayerStatistics.ZeroGradientFractions(net, x, t, Loss.HalfSumOfSquares));

        var leaky = new Mlp([2, 4, 1], Activation.LeakyReLU(0.01), Activation.Identity, seed: 5);
        leaky.Layers[0].SetWeights(w);
        Assert.Equal([0.5], LayerStatistics.InactiveFractions(leaky, x)); // inactive, but …
        Assert.Equal([0.0], LayerStatistics.ZeroGradientFractions(leaky, x, t, Loss.HalfSumOfSquares)); // … still learning
        Assert.True(double.IsNaN(LayerStatistics.InactiveFractions(new Mlp([2, 4, 1], Activation.Tanh, Activation.Identity, 5), x)[0]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MeanSquareActivations_stay_level_with_He_for_ReLU_and_halve_with_LeCun(int seed)
    {
        // Var[a] = fan-in · σ_w² · E[z²], and a ReLU keeps E[z²] = Var[a] / 2: σ_w² = 2 / fan-in keeps it level, 1 / fan-in halves it.
        var inputs = Matrix<double>.Build.Random(500, 200, new MathNet.Numerics.Distributions.Normal(0, 1, new Random(seed)));
        int[] sizes = [200, 200, 200, 200, 200, 1];
        double[] he = LayerStatistics.MeanSquareActivations(new Mlp(sizes, Activation.ReLU, Activation.Identity, seed, Initialisation.He), inputs);
        double[] lecun = LayerStatistics.MeanSquareActivations(new Mlp(sizes, Activation.ReLU, Activation.Identity, seed, Initialisation.LeCun), inputs);

        Assert.Equal(4, he.Length);
        for (int l = 1; l < he.Length; l++)
        {
            Assert.InRange(he[l] / he[l - 1], 0.8, 1.25);
            Assert.InRange(lecun[l] / lecun[l - 1], 0.4, 0.625);
        }

        BatchForwardPass pass = new Mlp(sizes, Activation.ReLU, Activation.Identity, seed, Initialisation.He).Forward(inputs);
        Assert.Equal(pass.A(2).Enumerate().Select(a => a * a).Average(), he[1], 1e-12);
        TestSupport.AssertArgumentException(() => LayerStatistics.MeanSquareActivations(new Mlp(sizes, Activation.ReLU, Activation.Identity, seed), X(3)), "inputs");
    }

    [Fact]
    public void MeanOutputs_and_MeanDerivatives_average_over_samples_and_units()
    {
        var net = new Mlp([2, 3, 4, 1], Activation.Logistic, Activation.Identity, seed: 6);
        Matrix<double> x = X(2);
        BatchForwardPass pass = net.Forward(x);

        double[] outputs = LayerStatistics.MeanOutputs(net, x);
        double[] derivatives = LayerStatistics.MeanDerivatives(net, x);

        Assert.Equal(2, outputs.Length);
        Assert.Equal(pass.Z(2).Enumerate().Average(), outputs[1], 1e-15);
        Assert.Equal(pass.A(1).Enumerate().Select(a => Activation.Logistic.Derivative(a)).Average(), derivatives[0], 1e-15);
        Assert.All(derivatives, d => Assert.InRange(d, 0.0, 0.25));
        TestSupport.AssertArgumentException(() => LayerStatistics.MeanOutputs(net, X(3)), "inputs");
        TestSupport.AssertArgumentException(() => LayerStatistics.MeanOutputs(net, Matrix<double>.Build.Dense(0, 2)), "inputs");
    }

    [Fact]
    public void Weight_changes_are_measured_per_layer_and_per_unit()
    {
        var before = new Mlp([2, 3, 1], Activation.Tanh, Activation.Identity, seed: 7);
        Mlp after = before.Clone();
        after.Layers[0].Weights[1, 2] += 0.3;
        after.Layers[0].Weights[1, 0] += 0.4; // a bias: counts per unit, not per layer

        double[] layers = LayerStatistics.RelativeWeightChanges(before, after);
        Assert.Equal(0.3 / before.Layers[0].Weights.RemoveColumn(0).FrobeniusNorm(), layers[0], 1e-12);
        Assert.Equal(0.0, layers[1]);
        Assert.Equal([0.0, 0.5, 0.0], LayerStatistics.UnitWeightChanges(before, after, 0), new ToleranceComparer(1e-12));
        Assert.All(LayerStatistics.RelativeWeightChanges(before, before.Clone()), c => Assert.Equal(0.0, c));

        TestSupport.AssertThrows<ArgumentException>(() => LayerStatistics.RelativeWeightChanges(before, new Mlp([2, 4, 1], Activation.Tanh, Activation.Identity, 7)), "after", "2-3-1", "2-4-1");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => LayerStatistics.UnitWeightChanges(before, after, 2), "layer", "0 … 1");
        Mlp zero = before.Clone();
        zero.Layers[1].SetWeights(Matrix<double>.Build.Dense(1, 4));
        TestSupport.AssertThrows<ArgumentException>(() => LayerStatistics.RelativeWeightChanges(zero, after), "before", "layer 2");
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
