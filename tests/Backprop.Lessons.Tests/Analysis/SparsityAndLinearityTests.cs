using MathNet.Numerics.LinearAlgebra;

using Backprop.Tests;

namespace Backprop.Lessons.Tests;

public sealed class SparsityAndLinearityTests
{
    private static Matrix<double> X(int inputs, int samples = 40, int seed = 5) => TestSupport.RandomInputs(new Random(seed), samples, inputs);

    [Fact]
    public void ZeroOutputFractions_counts_exact_zeros_of_each_hidden_layer()
    {
        var net = new Mlp([3, 6, 4, 2], Activation.ReLU, Activation.Identity, seed: 2, Initialisation.He);
        Matrix<double> x = X(3);
        double[] fractions = LayerStatistics.ZeroOutputFractions(net, x);

        BatchForwardPass pass = net.Forward(x);
        Assert.Equal(2, fractions.Length);
        for (int l = 0; l < 2; l++)
        {
            Matrix<double> z = pass.Z(l + 1);
            Assert.Equal((double)z.Enumerate().Count(v => v == 0.0) / (z.RowCount * z.ColumnCount), fractions[l]);
            Assert.InRange(fractions[l], 0.05, 0.95);   // ReLU: a sparse code, neither all on nor all off
        }

        Assert.All(LayerStatistics.ZeroOutputFractions(new Mlp([3, 6, 4, 2], Activation.LeakyReLU(0.01), Activation.Identity, seed: 2), x), f => Assert.Equal(0.0, f));
        Assert.All(LayerStatistics.ZeroOutputFractions(new Mlp([3, 6, 4, 2], Activation.Tanh, Activation.Identity, seed: 2), x), f => Assert.Equal(0.0, f));
    }

    [Fact]
    public void MaxTangentDeviation_measures_the_distance_to_the_tangent_at_zero()
    {
        Assert.Equal(0.0, LayerStatistics.MaxTangentDeviation(Activation.Identity, 0, 3));
        Assert.Equal(0.5 - Math.Tanh(0.5), LayerStatistics.MaxTangentDeviation(Activation.Tanh, 0, 0.5), 12);   // largest at the band's edge
        Assert.Equal(4 - Math.Tanh(4), LayerStatistics.MaxTangentDeviation(Activation.Tanh, 2, 4), 12);
        Assert.Equal(1.0, LayerStatistics.MaxTangentDeviation(Activation.ReLU, 0, 1), 12);                  // tangent h(0) + h'(0)·a = 0
        Assert.True(LayerStatistics.MaxTangentDeviation(Activation.Logistic, 2, 4) > 100 * LayerStatistics.MaxTangentDeviation(Activation.Logistic, 0, 0.5));
    }

    [Fact]
    public void MaxTangentDeviation_rejects_a_bad_band()
    {
        TestSupport.AssertThrows<ArgumentException>(() => LayerStatistics.MaxTangentDeviation(Activation.Tanh, -1, 1), "to", "0 ≤ from < to");
        TestSupport.AssertThrows<ArgumentException>(() => LayerStatistics.MaxTangentDeviation(Activation.Tanh, 2, 2), "to", "from = 2");
        Assert.Throws<ArgumentNullException>(() => LayerStatistics.MaxTangentDeviation(null!, 0, 1));
    }
}
