namespace Backprop.Tests.Training;

/// <summary>An <see cref="ITrainingObserver"/> sees every measured entry with the whole-training-set evaluation it came from.</summary>
public sealed class ObserverTests
{
    [Theory]
    [MemberData(nameof(TrainingData.OptimizerNames), MemberType = typeof(TrainingData))]
    public void EveryOptimiserShowsEveryEntryWithItsOwnPass(string name)
    {
        Dataset data = TrainingData.Sine;
        Mlp net = TrainingData.CurveNet();
        var observer = new RecordingObserver();

        TrainingHistory history = TrainingData.Create(name).Train(net, data, Loss.HalfSumOfSquares, observer: observer);

        Assert.Equal(history.Entries, observer.Seen.Select(o => o.Entry));
        Assert.All(observer.Seen, o =>
        {
            Assert.Same(net, o.Network);
            Assert.Equal(history.StepUnit, o.StepUnit);
            Assert.Equal(data.Count, o.SampleCount);
            Assert.Equal(o.Entry.Loss, o.Gradients.Loss);
            Assert.Equal(net.Layers.Count, o.Pass.LayerCount);
        });
    }

    [Fact]
    public void TheObservedPassIsTheNetworkAtThatEntry()
    {
        Dataset data = TrainingData.Sine;
        Mlp net = TrainingData.CurveNet();
        Mlp initial = net.Clone();
        var observer = new RecordingObserver();

        new MiniBatchGradientDescent { Epochs = 3, BatchSize = 10 }.Train(net, data, Loss.HalfSumOfSquares, observer: observer);

        Assert.Equal(initial.Forward(data.Inputs).Outputs, observer.FirstOutputs);   // entry 0: the initial weights
        Assert.Equal(net.Forward(data.Inputs).Outputs, observer.Seen[^1].Pass.Outputs); // the last: the trained ones
    }

    [Theory]
    [MemberData(nameof(TrainingData.OptimizerNames), MemberType = typeof(TrainingData))]
    public void AnObserverThatChangesTheWeightsIsNamedNotTakenForDivergence(string name)
    {
        // The observer scales a weight up at the third entry; this used to surface epochs later as divergence,
        // "lower the learning rate" (or, for the line searches, not at all).
        Dataset data = TrainingData.Sine;
        Mlp net = TrainingData.CurveNet();
        var observer = new MeddlingObserver(atCall: 3, (n, _) => n.Layers[1].Weights[0, 2] *= 1e6);

        var e = Assert.Throws<InvalidOperationException>(() => TrainingData.Create(name).Train(net, data, Loss.HalfSumOfSquares, observer: observer));

        Assert.Contains("The observer (MeddlingObserver) changed the network's weights during training", e.Message, StringComparison.Ordinal);
        Assert.Contains($"at {observer.Seen[^1].StepUnit} {observer.Seen[^1].Entry.Step}: the weight w⁽²⁾₁₂ (Layers[1].Weights[0, 2]) was {observer.Before.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("learning rate", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, observer.Seen.Count);
        Assert.True(double.IsFinite(net.GetParameters().L2Norm()));
        Assert.NotEqual(observer.Before * 1e6, net.Layers[1].Weights[0, 2]);   // put back (or, for the line searches, the initial weights)
    }

    [Fact]
    public void AnObserverThatSetsTheParametersOrAProgressReportThatEditsWeightsIsRefusedToo()
    {
        Dataset data = TrainingData.Sine;
        Mlp net = TrainingData.CurveNet();
        var observer = new MeddlingObserver(atCall: 2, (n, _) => n.SetParameters(n.GetParameters() * 0.5));
        var e = Assert.Throws<InvalidOperationException>(() => new BatchGradientDescent { Epochs = 10 }.Train(net, data, Loss.HalfSumOfSquares, observer: observer));
        Assert.Contains("The observer (MeddlingObserver)", e.Message, StringComparison.Ordinal);
        Assert.Contains("at epoch 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(observer.Seen[^1].Network.GetParameters(), net.GetParameters());

        // The weights are back as the optimiser left them after epoch 1: the observed pass's outputs are the network's.
        Assert.Equal(observer.Seen[^1].Pass.Outputs, net.Predict(data.Inputs));

        Mlp other = TrainingData.CurveNet();
        var progress = new SynchronousProgress(p => other.Layers[0].Weights[1, 0] = 42.0);
        e = Assert.Throws<InvalidOperationException>(() => new StochasticGradientDescent { Epochs = 2, MeasureHistory = false }.Train(other, data, Loss.HalfSumOfSquares, progress: progress));
        Assert.Contains("The progress report (SynchronousProgress) changed the network's weights during training, at epoch 1: the weight w⁽¹⁾₂₀ (Layers[0].Weights[1, 0])", e.Message, StringComparison.Ordinal);
        Assert.Contains("is now 42", e.Message, StringComparison.Ordinal);
        Assert.NotEqual(42.0, other.Layers[0].Weights[1, 0]);
    }

    [Theory]
    [InlineData(nameof(BatchGradientDescent))]
    [InlineData(nameof(ConjugateGradient))]
    public void AnObserverThatChangesTheGradientItIsShownIsRefused(string name)
    {
        // Batch descent steps with the observed gradient and the line searches hand it to MathNet: an edit steered training.
        Mlp net = TrainingData.CurveNet();
        var observer = new MeddlingObserver(atCall: 2, (_, o) => o.Gradients.WeightGradient(1)[1, 1] = 100.0);
        var e = Assert.Throws<InvalidOperationException>(() => TrainingData.Create(name).Train(net, TrainingData.Sine, Loss.HalfSumOfSquares, observer: observer));
        Assert.Contains("The observer (MeddlingObserver) changed observation.Gradients.WeightGradient(1) (∂L/∂w⁽¹⁾) during training", e.Message, StringComparison.Ordinal);
        Assert.Contains("copy it (.Clone())", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnObserverThatOnlyReadsTrainsAsBefore()
    {
        Dataset data = TrainingData.Sine;
        Mlp watched = TrainingData.CurveNet();
        Mlp alone = TrainingData.CurveNet();
        var observer = new MeddlingObserver(atCall: int.MaxValue, (_, _) => { });
        new MiniBatchGradientDescent { Epochs = 5 }.Train(watched, data, Loss.HalfSumOfSquares, observer: observer, progress: new SynchronousProgress(_ => { }));
        new MiniBatchGradientDescent { Epochs = 5 }.Train(alone, data, Loss.HalfSumOfSquares);
        Assert.Equal(alone.GetParameters(), watched.GetParameters());
    }

    private sealed class MeddlingObserver(int atCall, Action<Mlp, TrainingObservation> meddle) : ITrainingObserver
    {
        public List<TrainingObservation> Seen { get; } = [];

        public double Before { get; private set; }

        public void Observe(TrainingObservation observation)
        {
            Seen.Add(observation);
            if (Seen.Count == atCall)
            {
                Before = observation.Network.Layers[1].Weights[0, 2];
                meddle(observation.Network, observation);
            }
        }
    }

    /// <summary>Reports on the training thread (Progress&lt;T&gt; posts to a synchronisation context).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed class RecordingObserver : ITrainingObserver
    {
        public List<TrainingObservation> Seen { get; } = [];

        public MathNet.Numerics.LinearAlgebra.Matrix<double>? FirstOutputs { get; private set; }

        public void Observe(TrainingObservation observation)
        {
            FirstOutputs ??= observation.Pass.Outputs.Clone();
            Seen.Add(observation);
        }
    }
}
