using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Tests;

/// <summary>LayerDistributions: every z and |δ| of each layer, the saturated share, and the histogram that bins them.</summary>
public sealed class LayerDistributionsTests
{
    private static readonly Dataset s_digits = Datasets.Digits().Take(200);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void It_keeps_every_output_and_every_delta_of_the_passes(int seed)
    {
        var rng = new Random(seed);
        int[] sizes = [rng.Next(1, 5), rng.Next(1, 6), rng.Next(1, 6), rng.Next(1, 4)];
        var net = new Mlp(sizes, Activation.Tanh, Activation.Identity, seed);
        var inputs = Matrix<double>.Build.Dense(7, sizes[0], (n, i) => rng.NextDouble() * 2 - 1);
        var targets = Matrix<double>.Build.Dense(7, sizes[^1], (n, k) => rng.NextDouble());

        var d = LayerDistributions.Measure(net, inputs, targets, Loss.HalfSumOfSquares);

        var pass = net.Forward(inputs);
        var gradients = net.Backward(pass, targets, Loss.HalfSumOfSquares);
        Assert.Equal(2, d.Outputs.Count);
        Assert.Equal(3, d.DeltaMagnitudes.Count);
        for (int l = 1; l <= 2; l++)
        {
            Assert.Equal(pass.Z(l).Enumerate().Order(), d.Outputs[l - 1].Order());
        }

        for (int l = 1; l <= 3; l++)
        {
            Assert.Equal(gradients.Delta(l).Enumerate().Select(Math.Abs).Order(), d.DeltaMagnitudes[l - 1].Order());
            double[] sorted = [.. d.DeltaMagnitudes[l - 1].Order()];
            Assert.Equal(sorted[sorted.Length / 2], d.MedianDeltaMagnitudes[l - 1]);
        }
    }

    [Fact]
    public void Large_tanh_weights_pile_the_outputs_up_at_plus_and_minus_one_and_the_share_says_so()
    {
        var small = LayerDistributions.Measure(Deep(Activation.Tanh, 0.1), s_digits.Inputs, s_digits.Targets, Loss.SoftmaxCrossEntropy);
        var large = LayerDistributions.Measure(Deep(Activation.Tanh, 3.0), s_digits.Inputs, s_digits.Targets, Loss.SoftmaxCrossEntropy);

        Assert.All(small.SaturatedShares, share => Assert.Equal(0, share));
        Assert.All(large.SaturatedShares.Skip(1), share => Assert.True(share > 0.5, $"saturated share {share}"));
        double nearOne = large.Outputs[1].Count(z => Math.Abs(z) > 0.99) / (double)large.Outputs[1].Length;
        Assert.True(nearOne > 0.5, $"share of |z| > 0.99 in layer 2: {nearOne}");
        // The share is the slope's: |tanh'(a)| < 0.01 is |z| > √0.99.
        double bySlope = large.Outputs[1].Count(z => 1 - z * z < LayerStatistics.SaturationThreshold) / (double)large.Outputs[1].Length;
        Assert.Equal(bySlope, large.SaturatedShares[1], 12);
    }

    [Fact]
    public void Relu_units_have_no_saturated_share()
    {
        var d = LayerDistributions.Measure(Deep(Activation.ReLU, 0.3), s_digits.Inputs, s_digits.Targets, Loss.SoftmaxCrossEntropy);

        Assert.All(d.SaturatedShares, share => Assert.True(double.IsNaN(share)));
    }

    [Fact]
    public void A_histogram_counts_every_value_once_in_percent_with_the_ends_kept()
    {
        var (centres, percent) = LayerDistributions.Histogram([-5.0, 0.1, 0.2, 0.9, 1.0, 7.0], 0, 1, 4);

        Assert.Equal([0.125, 0.375, 0.625, 0.875], centres);
        Assert.Equal(new[] { 3, 0, 0, 3 }.Select(c => 100.0 * c / 6), percent);
        Assert.Equal(100, percent.Sum(), 12);
    }

    [Fact]
    public void Bad_input_is_named()
    {
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => LayerDistributions.Histogram([], 0, 1, 4)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => LayerDistributions.Histogram([double.NaN], 0, 1, 4)).ParamName);
        Assert.Equal("bins", Assert.Throws<ArgumentOutOfRangeException>(() => LayerDistributions.Histogram([1.0], 0, 1, 0)).ParamName);
        Assert.Contains("from < to", Assert.Throws<ArgumentException>(() => LayerDistributions.Histogram([1.0], 1, 1, 3)).Message);
        var noHidden = new Mlp([2, 1], Activation.Tanh, Activation.Identity, 0);
        Assert.Equal("net", Assert.Throws<ArgumentException>(() =>
            LayerDistributions.Measure(noHidden, Matrix<double>.Build.Dense(1, 2), Matrix<double>.Build.Dense(1, 1), Loss.HalfSumOfSquares)).ParamName);
        var net = new Mlp([2, 3, 1], Activation.Tanh, Activation.Identity, 0);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() =>
            LayerDistributions.Measure(net, Matrix<double>.Build.Dense(1, 3), Matrix<double>.Build.Dense(1, 1), Loss.HalfSumOfSquares)).ParamName);
    }

    private static Mlp Deep(Activation h, double scale) =>
        new([64, 30, 30, 30, 10], h, Activation.Identity, 0, Initialisation.Normal(scale));
}
