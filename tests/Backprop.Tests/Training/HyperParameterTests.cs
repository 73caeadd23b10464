namespace Backprop.Tests.Training;

public sealed class HyperParameterTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveLearningRatesAreRejected(double eta)
    {
        AssertRejected("LearningRate", () => new StochasticGradientDescent { LearningRate = eta });
        AssertRejected("LearningRate", () => new MiniBatchGradientDescent { LearningRate = eta });
        AssertRejected("LearningRate", () => new BatchGradientDescent { LearningRate = eta });
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void MomentumOutsideZeroToOneIsRejected(double mu)
    {
        AssertRejected("Momentum", () => new StochasticGradientDescent { Momentum = mu });
        AssertRejected("Momentum", () => new MiniBatchGradientDescent { Momentum = mu });
        AssertRejected("Momentum", () => new BatchGradientDescent { Momentum = mu });
    }

    [Fact]
    public void CountsBelowOneAreRejected()
    {
        AssertRejected("BatchSize", () => new MiniBatchGradientDescent { BatchSize = 0 });
        AssertRejected("Epochs", () => new StochasticGradientDescent { Epochs = 0 });
        AssertRejected("Epochs", () => new MiniBatchGradientDescent { Epochs = -1 });
        AssertRejected("Epochs", () => new BatchGradientDescent { Epochs = 0 });
        AssertRejected("HistoryInterval", () => new BatchGradientDescent { HistoryInterval = 0 });
        AssertRejected("MaxIterations", () => new ConjugateGradient { MaxIterations = 0 });
        AssertRejected("MaxIterations", () => new QuasiNewton { MaxIterations = 0 });
        AssertRejected("Memory", () => new QuasiNewton { Memory = 0 });
        AssertRejected("BfgsParameterLimit", () => new QuasiNewton { BfgsParameterLimit = 0 });
    }

    [Fact]
    public void NonPositiveTolerancesAreRejected()
    {
        AssertRejected("GradientTolerance", () => new ConjugateGradient { GradientTolerance = 0.0 });
        AssertRejected("GradientTolerance", () => new QuasiNewton { GradientTolerance = -1e-6 });
        AssertRejected("ParameterTolerance", () => new QuasiNewton { ParameterTolerance = 0.0 });
        AssertRejected("FunctionProgressTolerance", () => new QuasiNewton { FunctionProgressTolerance = -1.0 });
    }

    [Fact]
    public void ABatchLargerThanTheDataIsRejectedBeforeTraining()
    {
        Dataset data = TrainingData.Sine;
        Mlp net = TrainingData.CurveNet();
        var before = net.GetParameters();

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MiniBatchGradientDescent { BatchSize = 51 }.Train(net, data, Loss.HalfSumOfSquares));

        Assert.Equal("BatchSize", e.ParamName);
        Assert.Contains("50", e.Message);
        Assert.Equal(before, net.GetParameters());
    }

    [Fact]
    public void DataThatDoNotFitTheNetworkAreRejectedWithTheirNames()
    {
        Mlp net = TrainingData.CurveNet();
        Dataset digits = TrainingData.DigitsSubset;

        var e = Assert.Throws<ArgumentException>(() => new BatchGradientDescent().Train(net, digits, Loss.HalfSumOfSquares));
        Assert.Equal("inputs", e.ParamName);
        Assert.Throws<ArgumentException>(() => new QuasiNewton().Train(net, TrainingData.Sine, Loss.SoftmaxCrossEntropy));
    }

    private static void AssertRejected(string name, Func<object> create)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(create);
        Assert.Equal(name, e.ParamName);
        Assert.Contains(name, e.Message);
    }
}
