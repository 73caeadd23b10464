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
            Assert.Equal(net.Layers.Count + 1, o.Pass.Z.Count);
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
