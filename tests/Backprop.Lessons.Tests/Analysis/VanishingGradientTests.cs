namespace Backprop.Lessons.Tests;

/// <summary>Lesson 09 measured: how much the gradient shrinks from the last hidden layer to the first.</summary>
public sealed class VanishingGradientTests
{
    private static readonly Dataset _first1000 = Datasets.Digits().Take(1000);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void LogisticUnitsWithLeCunInitialisationVanish(int seed)
    {
        double ratio = FirstToLastHiddenBiasGradientRatio(Activation.Logistic, Initialisation.LeCun, seed);

        Assert.True(ratio < 0.1, $"‖∂L/∂b(1)‖ / ‖∂L/∂b(4)‖ = {ratio} for logistic units, expected < 0.1 (numpy: about 0.014).");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void ReluUnitsWithHeInitialisationDoNot(int seed)
    {
        double ratio = FirstToLastHiddenBiasGradientRatio(Activation.ReLU, Initialisation.He, seed);

        Assert.True(ratio > 0.3, $"‖∂L/∂b(1)‖ / ‖∂L/∂b(4)‖ = {ratio} for ReLU units, expected > 0.3 (numpy: about 1.2).");
    }

    [Fact]
    public void TheRecorderMeasuresTheSameRatioAtTheFirstEntry()
    {
        var net = new Mlp([64, 30, 30, 30, 30, 10], Activation.Logistic, Activation.Identity, 0, Initialisation.LeCun);
        double expected = FirstToLastHiddenBiasGradientRatio(Activation.Logistic, Initialisation.LeCun, 0);

        var diagnostics = new LayerDiagnosticsRecorder();
        new BatchGradientDescent { Epochs = 1 }.Train(net, _first1000, Loss.SoftmaxCrossEntropy, observer: diagnostics);

        Assert.Equal(expected, diagnostics.BiasGradientNorms[0][0] / diagnostics.BiasGradientNorms[3][0], 10);
    }

    /// <summary>64-30-30-30-30-10, softmax cross-entropy, the mean gradient over the first 1000 digits, at initialisation.</summary>
    private static double FirstToLastHiddenBiasGradientRatio(Activation hidden, Initialisation init, int seed)
    {
        var net = new Mlp([64, 30, 30, 30, 30, 10], hidden, Activation.Identity, seed, init);
        double[] norms = LayerStatistics.MeanBiasGradientNorms(net, _first1000.Inputs, _first1000.Targets, Loss.SoftmaxCrossEntropy);
        return norms[0] / norms[3];
    }
}
