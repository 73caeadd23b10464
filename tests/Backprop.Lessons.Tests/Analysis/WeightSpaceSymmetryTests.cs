using BigInteger = System.Numerics.BigInteger;
using MathNet.Numerics.LinearAlgebra;

using Backprop.Tests;

namespace Backprop.Lessons.Tests;

public sealed class WeightSpaceSymmetryTests
{
    private static Matrix<double> Inputs(int inputs, int seed = 11) => TestSupport.RandomInputs(new Random(seed), 25, inputs, scale: 2.0);

    private static void AssertSameFunction(Mlp expected, Mlp actual, Matrix<double> x)
    {
        Matrix<double> difference = expected.Predict(x) - actual.Predict(x);
        Assert.True(difference.Enumerate().All(d => Math.Abs(d) <= 1e-12), $"outputs differ by up to {difference.Enumerate().Max(Math.Abs):E3}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Permuting_a_hidden_layer_keeps_the_function_moves_the_weights_and_leaves_the_original_alone(int layer)
    {
        var net = new Mlp([3, 4, 4, 2], Activation.Tanh, Activation.Identity, seed: 5);
        Vector<double> before = net.GetParameters();
        int[] permutation = [2, 0, 3, 1];

        Mlp permuted = WeightSpaceSymmetry.PermuteHiddenUnits(net, layer, permutation);

        AssertSameFunction(net, permuted, Inputs(3));
        Assert.NotEqual(net.GetParameters(), permuted.GetParameters());
        Assert.Equal(before, net.GetParameters());
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(net.Layers[layer].Weights.Row(permutation[j]), permuted.Layers[layer].Weights.Row(j));
            Assert.Equal(net.Layers[layer + 1].Weights.Column(permutation[j] + 1), permuted.Layers[layer + 1].Weights.Column(j + 1));
        }

        Assert.Equal(net.Layers[layer + 1].Weights.Column(0), permuted.Layers[layer + 1].Weights.Column(0)); // biases of the next layer stay
    }

    [Theory]
    [InlineData("logistic")]
    [InlineData("relu")]
    [InlineData("elu1")]
    public void Permuting_works_for_any_activation(string activation)
    {
        var net = new Mlp([2, 3, 1], TestSupport.ActivationByName(activation), Activation.Identity, seed: 8);
        AssertSameFunction(net, WeightSpaceSymmetry.PermuteHiddenUnits(net, 0, [1, 2, 0]), Inputs(2));
    }

    [Fact]
    public void Flipping_a_tanh_unit_keeps_the_function_and_negates_its_weights()
    {
        var net = new Mlp([3, 4, 2], Activation.Tanh, Activation.Identity, seed: 6);
        Vector<double> before = net.GetParameters();

        Mlp flipped = WeightSpaceSymmetry.FlipHiddenUnit(net, 0, 2);

        AssertSameFunction(net, flipped, Inputs(3));
        Assert.Equal(before, net.GetParameters());
        Assert.Equal(-net.Layers[0].Weights.Row(2), flipped.Layers[0].Weights.Row(2));
        Assert.Equal(-net.Layers[1].Weights.Column(3), flipped.Layers[1].Weights.Column(3));
        Assert.Equal(net.Layers[0].Weights.Row(1), flipped.Layers[0].Weights.Row(1));
        for (int j = 0; j < 4; j++)
        {
            if (j != 2)
            {
                Assert.Equal(net.Layers[0].Weights.Row(j), flipped.Layers[0].Weights.Row(j));
                Assert.Equal(net.Layers[1].Weights.Column(j + 1), flipped.Layers[1].Weights.Column(j + 1));
            }
        }

        Assert.Equal(net.Layers[1].Weights.Column(0), flipped.Layers[1].Weights.Column(0));
    }

    [Fact]
    public void Flipping_an_identity_unit_keeps_the_function()
    {
        var net = new Mlp([2, 3, 1], Activation.Identity, Activation.Identity, seed: 2);
        AssertSameFunction(net, WeightSpaceSymmetry.FlipHiddenUnit(net, 0, 0), Inputs(2));
    }

    [Theory]
    [InlineData("logistic")]
    [InlineData("relu")]
    [InlineData("leaky0.3")]
    [InlineData("elu1")]
    public void Flipping_a_unit_whose_activation_is_not_odd_is_rejected(string activation)
    {
        Activation h = TestSupport.ActivationByName(activation);
        var net = new Mlp([2, 3, 1], h, Activation.Identity, seed: 2);
        TestSupport.AssertArgumentException(() => WeightSpaceSymmetry.FlipHiddenUnit(net, 0, 0), "odd", h.Name, "layer");
    }

    [Fact]
    public void Bad_layers_units_and_permutations_are_rejected()
    {
        var net = new Mlp([2, 3, 1], Activation.Tanh, Activation.Identity, seed: 2);
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => WeightSpaceSymmetry.FlipHiddenUnit(net, 1, 0), "layer", "0 … 0", "is 1");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => WeightSpaceSymmetry.PermuteHiddenUnits(net, -1, [0, 1, 2]), "layer");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => WeightSpaceSymmetry.FlipHiddenUnit(net, 0, 3), "unit", "0 … 2", "is 3");
        TestSupport.AssertThrows<ArgumentException>(() => WeightSpaceSymmetry.PermuteHiddenUnits(net, 0, [0, 1]), "permutation", "M = 3", "[0, 1]");
        TestSupport.AssertThrows<ArgumentException>(() => WeightSpaceSymmetry.PermuteHiddenUnits(net, 0, [0, 1, 1]), "permutation", "[0, 1, 1]");
        TestSupport.AssertThrows<ArgumentException>(() => WeightSpaceSymmetry.PermuteHiddenUnits(net, 0, [0, 1, 3]), "permutation");
        TestSupport.AssertThrows<ArgumentException>(() => WeightSpaceSymmetry.PermuteHiddenUnits(net, 0, [-1, 0, 1]), "permutation");
    }

    [Theory]
    [InlineData(0, 1L)]
    [InlineData(1, 2L)]
    [InlineData(2, 8L)]
    [InlineData(3, 48L)]
    [InlineData(4, 384L)]
    [InlineData(10, 3_715_891_200L)] // 10! · 2^10 = 3 628 800 · 1024
    public void Counts_M_factorial_times_two_to_the_M(int m, long expected)
    {
        Assert.Equal(new BigInteger(expected), WeightSpaceSymmetry.EquivalentWeightVectors(m));
    }

    [Fact]
    public void The_count_is_exact_far_beyond_the_range_of_a_long()
    {
        BigInteger factorial = BigInteger.One;
        for (int i = 2; i <= 100; i++)
        {
            factorial *= i;
        }

        BigInteger count = WeightSpaceSymmetry.EquivalentWeightVectors(100);
        Assert.Equal(factorial * BigInteger.Pow(2, 100), count);
        Assert.True(count > long.MaxValue);
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => WeightSpaceSymmetry.EquivalentWeightVectors(-1), "hiddenUnits", "-1");
    }

    [Fact]
    public void A_network_multiplies_its_hidden_layers_and_counts_sign_flips_only_for_odd_units()
    {
        Assert.Equal(new BigInteger(48 * 384), WeightSpaceSymmetry.EquivalentWeightVectors(new Mlp([2, 3, 4, 1], Activation.Tanh, Activation.Identity, 1)));
        Assert.Equal(new BigInteger(6), WeightSpaceSymmetry.EquivalentWeightVectors(new Mlp([2, 3, 1], Activation.Logistic, Activation.Identity, 1)));
        Assert.Equal(BigInteger.One, WeightSpaceSymmetry.EquivalentWeightVectors(new Mlp([2, 1], [Activation.Identity], 1)));
    }

    [Fact]
    public void Canonical_maps_equivalent_networks_to_the_same_weights()
    {
        // A freshly initialised network: every bias is 0, so sorting by bias alone would not decide the order.
        var net = new Mlp([2, 5, 2], Activation.Tanh, Activation.Identity, seed: 9);
        var rng = new Random(4);
        Mlp canonical = WeightSpaceSymmetry.Canonical(net);

        for (int trial = 0; trial < 5; trial++)
        {
            Mlp other = WeightSpaceSymmetry.PermuteHiddenUnits(net, 0, [.. Enumerable.Range(0, 5).OrderBy(_ => rng.Next())]);
            for (int j = 0; j < 5; j++)
            {
                if (rng.Next(2) == 1)
                {
                    other = WeightSpaceSymmetry.FlipHiddenUnit(other, 0, j);
                }
            }

            AssertSameFunction(net, other, Inputs(2));
            Assert.Equal(canonical.GetParameters(), WeightSpaceSymmetry.Canonical(other).GetParameters());
        }

        AssertSameFunction(net, canonical, Inputs(2));
        Matrix<double> w = canonical.Layers[0].Weights;
        Assert.All(Enumerable.Range(0, 5), j => Assert.True(w[j, 1] >= 0));
        Assert.All(Enumerable.Range(1, 4), j => Assert.True(w[j - 1, 0] <= w[j, 0], "biases sorted ascending"));
        Assert.All(Enumerable.Range(1, 4), j => Assert.True(w[j - 1, 1] < w[j, 1], "equal biases: sorted by w_j1"));
    }

    [Fact]
    public void Canonical_sorts_trained_units_by_bias()
    {
        var net = new Mlp([2, 4, 1], Activation.Tanh, Activation.Identity, seed: 3);
        net.Layers[0].SetWeights(net.Layers[0].Weights.MapIndexed((j, i, v) => i == 0 ? new[] { 0.5, -1.0, 2.0, 0.0 }[j] : v));
        Mlp canonical = WeightSpaceSymmetry.Canonical(net);
        AssertSameFunction(net, canonical, Inputs(2));
        double[] biases = [.. canonical.Layers[0].Weights.Column(0)];
        Assert.Equal(biases.Order(), biases);
        Assert.Equal(4, biases.Select(Math.Abs).Distinct().Count());
    }

    [Fact]
    public void Canonical_tells_different_minima_apart()
    {
        var a = new Mlp([2, 3, 1], Activation.Tanh, Activation.Identity, seed: 1);
        var b = new Mlp([2, 3, 1], Activation.Tanh, Activation.Identity, seed: 2);
        Assert.NotEqual(WeightSpaceSymmetry.Canonical(a).GetParameters(), WeightSpaceSymmetry.Canonical(b).GetParameters());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Canonical_rejects_a_layer_without_sign_symmetry_whatever_its_weights(int seed)
    {
        // Whether a logistic layer has a negative w_j1 depends on the seed; the answer must not.
        var net = new Mlp([2, 3, 1], Activation.Logistic, Activation.Identity, seed);
        TestSupport.AssertArgumentException(() => WeightSpaceSymmetry.Canonical(net), "odd", "logistic");

        var positive = net.Clone();
        Matrix<double> w = positive.Layers[0].Weights;
        for (int j = 0; j < w.RowCount; j++)
        {
            w[j, 1] = Math.Abs(w[j, 1]) + 0.1;
        }

        TestSupport.AssertArgumentException(() => WeightSpaceSymmetry.Canonical(positive), "odd", "logistic");
    }
}
