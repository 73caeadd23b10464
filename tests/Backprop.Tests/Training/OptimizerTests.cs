namespace Backprop.Tests.Training;

public sealed class OptimizerTests
{
    [Theory]
    [MemberData(nameof(TrainingData.OptimizerNames), MemberType = typeof(TrainingData))]
    public void DefaultsAtLeastHalveTheLossOfACurveFitDeterministically(string name)
    {
        Dataset data = TrainingData.Sine;
        Mlp first = TrainingData.CurveNet();
        Mlp second = TrainingData.CurveNet();
        double initial = first.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares);

        TrainingHistory h1 = TrainingData.Create(name).Train(first, data, Loss.HalfSumOfSquares);
        TrainingHistory h2 = TrainingData.Create(name).Train(second, data, Loss.HalfSumOfSquares);

        double final = first.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares);
        Assert.True(final <= 0.5 * initial, $"{name}: L went from {initial} to {final}, less than halved ({h1}).");
        Assert.Equal(initial, h1.Entries[0].Loss, 12);
        AssertSameRun(h1, h2, first, second);
    }

    [Theory]
    [MemberData(nameof(TrainingData.OptimizerNames), MemberType = typeof(TrainingData))]
    public void DefaultsLowerTheLossOnADigitsSubsetDeterministically(string name)
    {
        Dataset data = TrainingData.DigitsSubset;
        Mlp first = TrainingData.DigitsNet();
        Mlp second = TrainingData.DigitsNet();
        double initial = first.ComputeLoss(data.Inputs, data.Targets, Loss.SoftmaxCrossEntropy);

        TrainingHistory h1 = TrainingData.Create(name).Train(first, data, Loss.SoftmaxCrossEntropy);
        TrainingHistory h2 = TrainingData.Create(name).Train(second, data, Loss.SoftmaxCrossEntropy);

        double final = first.ComputeLoss(data.Inputs, data.Targets, Loss.SoftmaxCrossEntropy);
        Assert.True(final < 0.5 * initial, $"{name}: L went from {initial} to {final} ({h1}).");
        AssertSameRun(h1, h2, first, second);
    }

    [Fact]
    public void MiniBatchSgdReachesNinetyPercentTestAccuracyOnDigits()
    {
        (Dataset train, Dataset test) = Datasets.DigitsSplit(0.25, seed: 0);
        var net = new Mlp([64, 30, 10], Activation.Tanh, Activation.Identity, seed: 0);

        TrainingHistory history = new MiniBatchGradientDescent { Epochs = 30 }.Train(net, train, Loss.SoftmaxCrossEntropy, validation: test);

        double accuracy = Metrics.Accuracy(net, test);
        Assert.True(accuracy >= 0.90, $"Test accuracy {accuracy:P2} < 90 %.");
        Assert.Equal(accuracy, history.Last.ValidationAccuracy, 12);
    }

    [Fact]
    public void HistoryHasOneEntryPerEpochWithEverySeriesAndReportsProgress()
    {
        Dataset data = TrainingData.DigitsSubset;
        var net = new Mlp([64, 8, 6, 10], [Activation.ReLU, Activation.Tanh, Activation.Identity], seed: 1);
        var reports = new List<TrainingProgress>();

        TrainingHistory history = new MiniBatchGradientDescent { Epochs = 5, BatchSize = 20 }
            .Train(net, data.Inputs, data.Targets, Loss.SoftmaxCrossEntropy, data.Take(50), new SynchronousProgress(reports.Add));

        Assert.Equal(6, history.Entries.Count); // the initial weights and 5 epochs
        Assert.Equal([0, 1, 2, 3, 4, 5], history.Steps);
        Assert.Equal([0.0, 10, 20, 30, 40, 50], history.GradientEvaluations);
        Assert.Equal([0.0, 1, 2, 3, 4, 5], history.PassesOverData);
        Assert.Equal(StopCondition.EpochLimit, history.StopCondition);
        Assert.Equal("epoch limit", history.StopReason);
        Assert.Equal(history.Entries, reports.Select(r => r.Entry));
        Assert.All(history.ValidationAccuracy, a => Assert.InRange(a, 0.0, 1.0));
        Assert.All(history.ValidationMeanLoss, l => Assert.True(l > 0.0));
        Assert.Equal(history.Loss.Select(l => l / data.Count), history.MeanLoss);

        // The entries measure the network itself: the last one is the trained network's loss and gradient.
        Assert.Equal(net.ComputeLoss(data.Inputs, data.Targets, Loss.SoftmaxCrossEntropy), history.Last.Loss, 10);
        double[] seconds = history.Seconds;
        Assert.True(seconds.Zip(seconds.Skip(1)).All(p => p.First <= p.Second), "Elapsed time must not decrease.");
    }

    [Fact]
    public void BestMeanLossIsTheRunningMinimum()
    {
        TrainingHistory history = new ConjugateGradient { MaxIterations = 10 }.Train(TrainingData.CurveNet(), TrainingData.Sine, Loss.HalfSumOfSquares);

        double[] best = history.BestMeanLoss;
        for (int i = 0; i < best.Length; i++)
        {
            Assert.Equal(history.MeanLoss.Take(i + 1).Min(), best[i]);
        }
    }

    [Fact]
    public void HistoryIntervalRecordsEveryKthEpochAndTheLast()
    {
        TrainingHistory history = new BatchGradientDescent { Epochs = 10, HistoryInterval = 4 }.Train(TrainingData.CurveNet(), TrainingData.Sine, Loss.HalfSumOfSquares);

        Assert.Equal([0, 4, 8, 10], history.Steps);
        Assert.Equal([0.0, 4, 8, 10], history.GradientEvaluations);
    }

    [Fact]
    public void BatchGradientDescentWithoutMomentumIsTheLecturesUpdate()
    {
        // One step w ← w − (η/N) ∇L, computed by hand from LossAndGradient.
        Dataset data = TrainingData.Sine;
        Mlp net = TrainingData.CurveNet();
        var expected = net.GetParameters() - (0.3 / data.Count * net.LossAndGradient(data.Inputs, data.Targets, Loss.HalfSumOfSquares).Gradient);

        new BatchGradientDescent { Epochs = 1, LearningRate = 0.3, Momentum = 0.0 }.Train(net, data, Loss.HalfSumOfSquares);

        Assert.True((net.GetParameters() - expected).InfinityNorm() < 1e-14, "The step differs from w − (η/N)∇L.");
    }

    [Fact]
    public void OnlineSgdMakesOneUpdatePerSampleAndDifferentSeedsDiffer()
    {
        Dataset data = TrainingData.Sine;
        Mlp a = TrainingData.CurveNet();
        Mlp b = TrainingData.CurveNet();

        TrainingHistory history = new StochasticGradientDescent { Epochs = 2, Seed = 1 }.Train(a, data, Loss.HalfSumOfSquares);
        new StochasticGradientDescent { Epochs = 2, Seed = 2 }.Train(b, data, Loss.HalfSumOfSquares);

        Assert.Equal([0.0, 50, 100], history.GradientEvaluations);
        Assert.NotEqual(a.GetParameters(), b.GetParameters());
    }

    [Fact]
    public void QuasiNewtonPicksBfgsForSmallAndLbfgsForLargeNetworks()
    {
        var optimizer = new QuasiNewton();

        Assert.Equal(QuasiNewtonMethod.Bfgs, optimizer.MethodFor(TrainingData.CurveNet()));
        Assert.Equal(QuasiNewtonMethod.LimitedMemoryBfgs, optimizer.MethodFor(new Mlp([64, 30, 10], Activation.Tanh, Activation.Identity, 0)));
        Assert.Equal(QuasiNewtonMethod.LimitedMemoryBfgs, new QuasiNewton { Method = QuasiNewtonMethod.LimitedMemoryBfgs }.MethodFor(TrainingData.CurveNet()));
        Assert.StartsWith("quasi-Newton (L-BFGS", new QuasiNewton { MaxIterations = 3 }
            .Train(new Mlp([64, 30, 10], Activation.Tanh, Activation.Identity, 0), TrainingData.DigitsSubset, Loss.SoftmaxCrossEntropy).Optimizer);
    }

    private static void AssertSameRun(TrainingHistory h1, TrainingHistory h2, Mlp first, Mlp second)
    {
        Assert.Equal(h1.Loss, h2.Loss);
        Assert.Equal(h1.GradientEvaluations, h2.GradientEvaluations);
        Assert.Equal(h1.StopReason, h2.StopReason);
        Assert.Equal(h1.MeanLoss, h2.MeanLoss);
        Assert.Equal(first.GetParameters(), second.GetParameters());
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
