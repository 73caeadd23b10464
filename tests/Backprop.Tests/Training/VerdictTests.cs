using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests.Training;

/// <summary>Issue 11 §4: a loss that explodes is divergence, an undefined enum value and a NaN arg max are refused.</summary>
public sealed class VerdictTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ALossThatGrowsByOrdersOfMagnitudeIsDivergenceNamingTheEpochAndTheLearningRate(bool measure)
    {
        Dataset data = TrainingData.DigitsSubset;
        Mlp net = TrainingData.DigitsNet();
        var optimizer = new StochasticGradientDescent { LearningRate = 1e4, Epochs = 20, MeasureHistory = measure };

        var e = Assert.Throws<TrainingDivergedException>(() => optimizer.Train(net, data, Loss.SoftmaxCrossEntropy));

        Assert.Equal(StopCondition.Diverged, e.History.StopCondition);
        Assert.Equal(1e4, e.LearningRate);
        Assert.InRange(e.Step, 1, 20);
        Assert.Contains($"epoch {e.Step}", e.Message, StringComparison.Ordinal);
        Assert.Contains("η = 10000", e.Message, StringComparison.Ordinal);
        Assert.Contains("grew", e.Message, StringComparison.Ordinal);
        Assert.True(net.GetParameters().All(double.IsFinite));
    }

    [Fact]
    public void TheGrowthBoundIsAThousandTimesTheStartPlusOne()
    {
        // Ordinary training moves the loss by far less than three orders of magnitude, even at a brisk learning rate.
        Dataset data = TrainingData.DigitsSubset;
        TrainingHistory history = new MiniBatchGradientDescent { LearningRate = 0.5, Epochs = 10 }.Train(TrainingData.DigitsNet(), data, Loss.SoftmaxCrossEntropy);

        Assert.Equal(StopCondition.EpochLimit, history.StopCondition);
        Assert.True(history.MeanLoss.Max() < GradientDescentOptimizer.DivergenceFactor * (history.MeanLoss[0] + 1));
        Assert.Equal(1e3, GradientDescentOptimizer.DivergenceFactor);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(-1)]
    [InlineData(3)]
    public void AnUndefinedQuasiNewtonMethodIsRefused(int value)
    {
        ArgumentException e = TestSupport.AssertArgumentException(() => _ = new QuasiNewton { Method = (QuasiNewtonMethod)value }, "Method", "Bfgs", value.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("Method", e.ParamName);
    }

    [Fact]
    public void ArgMaxOfARowWithNaNIsRefusedNamingTheRow()
    {
        Matrix<double> rows = Matrix<double>.Build.DenseOfArray(new[,] { { 0.1, 0.9 }, { double.NaN, 0.5 }, { 0.3, 0.2 } });

        ArgumentException e = TestSupport.AssertArgumentException(() => Metrics.ArgMax(rows), "row 1", "NaN");

        Assert.Equal("rows", e.ParamName);
        Assert.Equal([1, 0], Metrics.ArgMax(rows.RemoveRow(1)));
    }

    [Fact]
    public void AccuracyWithANaNOutputIsRefused()
    {
        Matrix<double> outputs = Matrix<double>.Build.DenseOfArray(new[,] { { 0.1, double.NaN } });
        Matrix<double> targets = Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, 1.0 } });

        TestSupport.AssertArgumentException(() => Metrics.Accuracy(outputs, targets), "row 0", "NaN");
    }
}
