using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Charts.Tests;

/// <summary>Small, seeded inputs for the chart tests: networks, data and real training histories (a few epochs each).</summary>
internal static class ChartTestData
{
    public static Dataset Curve(int count = 12) => Datasets.Curve(CurveFunction.Sine, count, seed: 3);

    /// <summary>A 2-input, 3-class data set of 12 samples (one-hot targets).</summary>
    public static Dataset Classes()
    {
        var rng = new Random(5);
        var x = Matrix<double>.Build.Dense(12, 2, (_, _) => (2 * rng.NextDouble()) - 1);
        int[] labels = [.. Enumerable.Range(0, 12).Select(n => n % 3)];
        return new Dataset("three classes", x, Datasets.OneHot(labels, 3), labels);
    }

    /// <summary>The per-layer record of a real gradient-descent run: 2 hidden layers of the given activation, 4 epochs.</summary>
    public static LayerDiagnosticsRecorder DeepDiagnostics(Activation hidden, int seed = 1)
    {
        Dataset data = Classes();
        var net = new Mlp([2, 4, 4, 3], hidden, Activation.Identity, seed);
        var diagnostics = new LayerDiagnosticsRecorder();
        new BatchGradientDescent { Epochs = 4, LearningRate = 0.05, Momentum = 0.0 }.Train(net, data, Loss.SoftmaxCrossEntropy, observer: diagnostics);
        return diagnostics;
    }

    public static IReadOnlyList<double> List(params double[] values) => values;
}
