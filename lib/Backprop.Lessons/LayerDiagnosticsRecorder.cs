using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// Records, at every measured entry of a training run, each layer's gradient norms and its dead and
/// saturated fractions (lessons 09 and 11: the "speed of learning" per layer, dying ReLUs), from the
/// pass over the whole training set the entry was measured from — no extra pass. Give one to an
/// optimiser's <c>Train(…, observer: recorder)</c>; one recorder per run.
/// </summary>
/// <remarks>The series are arrays ready for a chart: <c>BiasGradientNorms[l][i]</c> is layer l at entry i.</remarks>
public sealed class LayerDiagnosticsRecorder : ITrainingObserver
{
    private readonly List<LayerDiagnostics> _entries = [];

    /// <summary>What <see cref="LayerDiagnostics.Step"/> counts: "epoch" or "evaluation" ("epoch" before the first entry).</summary>
    public string StepUnit { get; private set; } = "epoch";

    /// <summary>The recorded entries, in order.</summary>
    public IReadOnlyList<LayerDiagnostics> Entries => _entries;

    /// <summary><see cref="LayerDiagnostics.Step"/> of every entry.</summary>
    public int[] Steps => [.. _entries.Select(e => e.Step)];

    /// <summary><c>WeightGradientNorms[l][i]</c>: the weight-gradient norm of <c>Layers[l]</c> at entry i.</summary>
    public double[][] WeightGradientNorms => PerLayer(e => e.WeightGradientNorms);

    /// <summary><c>BiasGradientNorms[l][i]</c>: the bias-gradient norm of <c>Layers[l]</c> at entry i.</summary>
    public double[][] BiasGradientNorms => PerLayer(e => e.BiasGradientNorms);

    /// <summary><c>DeadFractions[h][i]</c>: the dead-ReLU fraction of hidden layer h (= <c>Layers[h]</c>) at entry i.</summary>
    public double[][] DeadFractions => PerLayer(e => e.DeadFractions);

    /// <summary><c>SaturatedFractions[h][i]</c>: the saturated σ/tanh fraction of hidden layer h at entry i.</summary>
    public double[][] SaturatedFractions => PerLayer(e => e.SaturatedFractions);

    /// <summary>Measures the entry's layers from its whole-training-set pass and gradients.</summary>
    public void Observe(TrainingObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        Mlp net = observation.Network;
        BatchGradients g = observation.Gradients;
        Matrix<double>[] gradients = [.. Enumerable.Range(1, g.LayerCount).Select(g.WeightGradient)];
        int n = observation.SampleCount;
        int hidden = net.Layers.Count - 1;
        StepUnit = observation.StepUnit;
        _entries.Add(new LayerDiagnostics(
            observation.Entry.Step,
            [.. gradients.Select(g => LayerStatistics.WeightGradientNorm(g) / n)],
            [.. gradients.Select(g => LayerStatistics.BiasGradientNorm(g) / n)],
            [.. Enumerable.Range(0, hidden).Select(l => LayerStatistics.DeadUnitFraction(net.Layers[l].Activation, observation.Pass.A(l + 1)))],
            [.. Enumerable.Range(0, hidden).Select(l => LayerStatistics.SaturatedFractionFromOutputs(net.Layers[l].Activation, observation.Pass.Z(l + 1)))]));
    }

    private double[][] PerLayer(Func<LayerDiagnostics, IReadOnlyList<double>> select)
    {
        int layers = _entries.Count == 0 ? 0 : select(_entries[0]).Count;
        return [.. Enumerable.Range(0, layers).Select(l => _entries.Select(e => select(e)[l]).ToArray())];
    }
}
