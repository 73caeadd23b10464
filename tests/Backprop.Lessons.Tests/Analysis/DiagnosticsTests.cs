using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Tests;

public sealed class DiagnosticsTests
{
    public static TheoryData<string> Sigmoidal => new() { "logistic", "tanh" };

    [Theory]
    [MemberData(nameof(Sigmoidal))]
    public void SaturatedFractionFromOutputsEqualsTheOneFromActivations(string name)
    {
        Activation h = name == "logistic" ? Activation.Logistic : Activation.Tanh;

        // Large initial weights: a wide spread of activations, many of them saturated.
        var net = new Mlp([8, 40, 3], h, Activation.Identity, seed: 5, Initialisation.Normal(2.0));
        Matrix<double> x = Matrix<double>.Build.Dense(200, 8, (n, i) => Math.Sin((3 * n) + (7 * i)));
        BatchForwardPass pass = net.Forward(x);

        double fromA = LayerStatistics.SaturatedFraction(h, pass.A(1));
        double fromZ = LayerStatistics.SaturatedFractionFromOutputs(h, pass.Z(1));

        Assert.InRange(fromA, 0.05, 0.95);
        Assert.Equal(fromA, fromZ);
    }

    [Fact]
    public void SaturatedFractionFromOutputsIsNaNForNonSigmoidalLayers()
    {
        Matrix<double> z = Matrix<double>.Build.Dense(3, 2, 0.5);
        Assert.True(double.IsNaN(LayerStatistics.SaturatedFractionFromOutputs(Activation.ReLU, z)));
    }
}
