using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void GradientCheckOfTanhNetworkIsGood()
    {
        var net = new Mlp([3, 4, 2], Activation.Tanh, Activation.Identity, seed: 1);
        Matrix<double> x = Matrix<double>.Build.Dense(5, 3, (i, j) => Math.Sin(i + (2 * j)));
        Matrix<double> t = Matrix<double>.Build.Dense(5, 2, (i, j) => Math.Cos(i - j));
        GradientCheckReport report = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares);
        Assert.True(report.Passed, report.ToString());
    }
}
