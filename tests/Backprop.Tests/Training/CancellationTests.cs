using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests.Training;

/// <summary>
/// Training stops between steps when its CancellationToken is cancelled, with a TrainingCanceledException (an
/// OperationCanceledException) that holds the history so far, and the network at the weights of a completed step.
/// </summary>
public sealed class CancellationTests
{
    [Theory]
    [MemberData(nameof(TrainingData.OptimizerNames), MemberType = typeof(TrainingData))]
    public void CancellingStopsAfterTheCurrentStepWithTheHistorySoFar(string name)
    {
        Dataset data = TrainingData.Sine;
        Mlp net = TrainingData.CurveNet();
        using var cancellation = new CancellationTokenSource();
        var observer = new CancellingObserver(cancellation, atEntry: 4);

        OperationCanceledException caught = Assert.ThrowsAny<OperationCanceledException>(
            () => TrainingData.Create(name).Train(net, data, Loss.HalfSumOfSquares, observer: observer, cancellationToken: cancellation.Token));

        TrainingCanceledException e = Assert.IsType<TrainingCanceledException>(caught);
        Assert.Equal(cancellation.Token, e.CancellationToken);
        Assert.Equal(StopCondition.Canceled, e.History.StopCondition);
        Assert.Equal(4, e.History.Entries.Count);                                  // nothing after the cancellation
        Assert.Equal(observer.Seen.Take(4), e.History.Entries);
        Assert.Contains("was canceled", e.Message, StringComparison.Ordinal);
        Assert.Contains("History holds the 4 entries", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("canceled", e.History.StopReason, StringComparison.Ordinal);

        if (e.History.StepUnit == "epoch")
        {
            // Gradient descent: the epoch in progress is undone — the network is at the last entry's weights (the end of epoch 3).
            Assert.Equal(4, e.Step);
            Assert.Equal(3, e.History.Iterations);
            Assert.Equal(observer.LastOutputs, net.Predict(data.Inputs));
        }
        else
        {
            // Line searches: the best weights seen, as at every other stop.
            Assert.Equal(5, e.Step);
            Assert.Equal(e.History.Entries.Min(entry => entry.Loss), net.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares), 12);
        }
    }

    [Theory]
    [MemberData(nameof(TrainingData.OptimizerNames), MemberType = typeof(TrainingData))]
    public void AnAlreadyCancelledTokenTrainsNothing(string name)
    {
        Mlp net = TrainingData.CurveNet();
        Vector<double> before = net.GetParameters();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var e = Assert.Throws<TrainingCanceledException>(
            () => TrainingData.Create(name).Train(net, TrainingData.Sine, Loss.HalfSumOfSquares, cancellationToken: cancellation.Token));

        Assert.Empty(e.History.Entries);
        Assert.Contains("has no entries (it stopped: canceled", Assert.Throws<InvalidOperationException>(() => e.History.Last).Message, StringComparison.Ordinal);
        Assert.Equal(before, net.GetParameters());
        Assert.Contains("initial weights", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATokenCancelledFromAnotherThreadStopsALongRunPromptly()
    {
        // A million epochs would take many minutes; cancelled after 0.2 s the run ends within a few seconds.
        Dataset data = TrainingData.Sine;
        Mlp net = TrainingData.CurveNet();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(0.2));
        var observer = new CancellingObserver(cancellation, atEntry: int.MaxValue);
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<TrainingCanceledException>(
            () => new StochasticGradientDescent { Epochs = 1_000_000 }.Train(net, data, Loss.HalfSumOfSquares, observer: observer, cancellationToken: cancellation.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(e.History.Entries.Count >= 1);
        Assert.Equal(observer.LastOutputs, net.Predict(data.Inputs));              // the cut epoch is undone
    }

    [Theory]
    [MemberData(nameof(TrainingData.OptimizerNames), MemberType = typeof(TrainingData))]
    public void ATokenThatIsNeverCancelledChangesNothing(string name)
    {
        Mlp withToken = TrainingData.CurveNet();
        Mlp without = TrainingData.CurveNet();
        using var cancellation = new CancellationTokenSource();
        IOptimizer optimizer = name switch
        {
            nameof(ConjugateGradient) => new ConjugateGradient { MaxIterations = 20 },
            nameof(QuasiNewton) => new QuasiNewton { MaxIterations = 20 },
            _ => TrainingData.Create(name),
        };

        TrainingHistory a = optimizer.Train(withToken, TrainingData.Sine, Loss.HalfSumOfSquares, cancellationToken: cancellation.Token);
        TrainingHistory b = optimizer.Train(without, TrainingData.Sine, Loss.HalfSumOfSquares);

        Assert.Equal(without.GetParameters(), withToken.GetParameters());
        Assert.Equal(b.Loss, a.Loss);
        Assert.NotEqual(StopCondition.Canceled, a.StopCondition);
    }

    private sealed class CancellingObserver(CancellationTokenSource cancellation, int atEntry) : ITrainingObserver
    {
        public List<TrainingEntry> Seen { get; } = [];

        public Matrix<double>? LastOutputs { get; private set; }

        public void Observe(TrainingObservation observation)
        {
            Seen.Add(observation.Entry);
            LastOutputs = observation.Pass.Outputs.Clone();
            if (Seen.Count == atEntry)
            {
                cancellation.Cancel();
            }
        }
    }
}
