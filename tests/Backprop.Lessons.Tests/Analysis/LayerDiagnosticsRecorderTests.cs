namespace Backprop.Lessons.Tests;

/// <summary>The per-layer measurements a <see cref="LayerDiagnosticsRecorder"/> takes at every entry of a training run.</summary>
public sealed class LayerDiagnosticsRecorderTests
{
    private static readonly Dataset s_digits = Datasets.Digits().Take(200);

    [Fact]
    public void Records_every_layer_at_every_entry_from_the_entrys_own_pass()
    {
        var net = new Mlp([64, 8, 6, 10], [Activation.ReLU, Activation.Tanh, Activation.Identity], seed: 1);
        var diagnostics = new LayerDiagnosticsRecorder();

        TrainingHistory history = new MiniBatchGradientDescent { Epochs = 5, BatchSize = 20 }
            .Train(net, s_digits, Loss.SoftmaxCrossEntropy, validation: s_digits.Take(50), observer: diagnostics);

        Assert.Equal(history.Steps, diagnostics.Steps);
        Assert.Equal("epoch", diagnostics.StepUnit);
        Assert.Equal(3, diagnostics.WeightGradientNorms.Length);
        Assert.Equal(3, diagnostics.BiasGradientNorms.Length);
        Assert.All(diagnostics.WeightGradientNorms, series => Assert.Equal(6, series.Length));
        Assert.All(diagnostics.WeightGradientNorms.SelectMany(s => s), norm => Assert.True(norm > 0.0 && double.IsFinite(norm)));
        Assert.Equal(2, diagnostics.DeadFractions.Length);
        Assert.All(diagnostics.DeadFractions[0], f => Assert.InRange(f, 0.0, 1.0)); // ReLU layer
        Assert.All(diagnostics.DeadFractions[1], f => Assert.True(double.IsNaN(f))); // tanh layer
        Assert.All(diagnostics.SaturatedFractions[0], f => Assert.True(double.IsNaN(f)));
        Assert.All(diagnostics.SaturatedFractions[1], f => Assert.InRange(f, 0.0, 1.0));

        // The last entry measures the trained network itself.
        double[] biasNorms = LayerStatistics.MeanBiasGradientNorms(net, s_digits.Inputs, s_digits.Targets, Loss.SoftmaxCrossEntropy);
        BatchGradients gradients = net.Backward(net.Forward(s_digits.Inputs), s_digits.Targets, Loss.SoftmaxCrossEntropy);
        double[] weightNorms = [.. Enumerable.Range(1, gradients.LayerCount).Select(l => LayerStatistics.WeightGradientNorm(gradients.WeightGradient(l)) / s_digits.Inputs.RowCount)];
        Assert.All(biasNorms.Zip(diagnostics.Entries[^1].BiasGradientNorms), p => Assert.Equal(p.First, p.Second, 12));
        Assert.All(weightNorms.Zip(diagnostics.Entries[^1].WeightGradientNorms), p => Assert.Equal(p.First, p.Second, 12));
        BatchForwardPass pass = net.Forward(s_digits.Inputs);
        Assert.Equal(LayerStatistics.DeadUnitFraction(Activation.ReLU, pass.A(1)), diagnostics.DeadFractions[0][^1]);
        Assert.Equal(LayerStatistics.SaturatedFraction(Activation.Tanh, pass.A(2)), diagnostics.SaturatedFractions[1][^1]);
    }

    [Fact]
    public void Observing_does_not_change_the_training()
    {
        var watched = new Mlp([64, 8, 10], Activation.Tanh, Activation.Identity, seed: 2);
        Mlp alone = watched.Clone();
        var optimizer = new StochasticGradientDescent { Epochs = 2, LearningRate = 0.05, Seed = 3 };

        TrainingHistory observed = optimizer.Train(watched, s_digits, Loss.SoftmaxCrossEntropy, observer: new LayerDiagnosticsRecorder());
        TrainingHistory plain = optimizer.Train(alone, s_digits, Loss.SoftmaxCrossEntropy);

        Assert.Equal(plain.Loss, observed.Loss);
        Assert.Equal(alone.GetParameters(), watched.GetParameters());
    }

    [Fact]
    public void Records_per_evaluation_for_line_search_optimisers()
    {
        var net = new Mlp([64, 4, 10], Activation.Logistic, Activation.Identity, seed: 4);
        var diagnostics = new LayerDiagnosticsRecorder();

        TrainingHistory history = new ConjugateGradient { MaxIterations = 3 }.Train(net, s_digits, Loss.SoftmaxCrossEntropy, observer: diagnostics);

        Assert.Equal("evaluation", diagnostics.StepUnit);
        Assert.Equal(history.Steps, diagnostics.Steps);
        Assert.All(diagnostics.SaturatedFractions[0], f => Assert.InRange(f, 0.0, 1.0));
    }

    [Fact]
    public void An_empty_recorder_has_no_series()
    {
        var diagnostics = new LayerDiagnosticsRecorder();

        Assert.Empty(diagnostics.Entries);
        Assert.Empty(diagnostics.BiasGradientNorms);
        Assert.Empty(diagnostics.Steps);
    }
}
