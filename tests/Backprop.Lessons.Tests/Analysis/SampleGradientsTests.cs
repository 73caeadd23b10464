using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Tests;

/// <summary>SampleGradients.cs: per-sample weight-gradient norms against one-sample backward passes.</summary>
public sealed class SampleGradientsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Each_samples_norm_is_the_norm_of_its_own_weight_gradient(int seed)
    {
        var random = new Random(seed);
        var inputs = Matrix<double>.Build.Dense(6, 4, (_, _) => random.NextDouble() * 2 - 1);
        var targets = Matrix<double>.Build.Dense(6, 3, (n, k) => n % 3 == k ? 1.0 : 0.0);
        var net = new Mlp([4, 5, 3], Activation.Tanh, Activation.Identity, seed);

        double[][] norms = SampleGradients.WeightGradientNorms(net, inputs, targets, Loss.SoftmaxCrossEntropy);
        double[] rms = SampleGradients.RmsWeightGradientNorms(net, inputs, targets, Loss.SoftmaxCrossEntropy);

        Assert.Equal(2, norms.Length);
        for (int n = 0; n < inputs.RowCount; n++)
        {
            Gradients one = net.Backward(net.Forward(inputs.Row(n)), targets.Row(n), Loss.SoftmaxCrossEntropy);
            for (int l = 1; l <= 2; l++)
            {
                Assert.Equal(one.WeightGradient(l).FrobeniusNorm(), norms[l - 1][n], 1e-12);
            }
        }

        Assert.Equal(Math.Sqrt(norms[0].Average(v => v * v)), rms[0], 1e-15);
    }

    [Fact]
    public void The_rms_does_not_cancel_where_the_mean_gradient_does()
    {
        // A tanh network without biases is odd, y(−x) = −y(x): samples x and −x with targets 1 and −1 have opposite deltas,
        // which cancel in the mean bias gradient but not in the RMS of the per-sample weight gradients.
        var inputs = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.5, -0.2 }, { -0.5, 0.2 } });
        var targets = Matrix<double>.Build.DenseOfArray(new double[,] { { 1.0 }, { -1.0 } });
        var net = new Mlp([2, 3, 1], Activation.Tanh, Activation.Identity, seed: 4);
        foreach (Layer layer in net.Layers)
        {
            var w = layer.Weights.Clone();
            w.ClearColumn(0);   // biases w_j0 = 0
            layer.SetWeights(w);
        }

        double[] mean = LayerStatistics.MeanBiasGradientNorms(net, inputs, targets, Loss.HalfSumOfSquares);
        double[] rms = SampleGradients.RmsWeightGradientNorms(net, inputs, targets, Loss.HalfSumOfSquares);

        Assert.All(mean, m => Assert.Equal(0.0, m, 1e-15));
        Assert.All(rms, r => Assert.True(r > 0.1, $"rms {r}"));
    }
}
