using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests.Training;

/// <summary>
/// The gradient-descent optimisers with <c>MeasureHistory = false</c>: no extra passes over the training set,
/// one entry per recorded epoch holding the batch losses the updates saw, and the same training as the default.
/// </summary>
public sealed class UnmeasuredHistoryTests
{
    public static TheoryData<string, double> OptimizersAndMomenta => new()
    {
        { nameof(StochasticGradientDescent), 0.0 },
        { nameof(StochasticGradientDescent), 0.5 },
        { nameof(MiniBatchGradientDescent), 0.0 },
        { nameof(MiniBatchGradientDescent), 0.5 },
        { nameof(BatchGradientDescent), 0.0 },
        { nameof(BatchGradientDescent), 0.9 },
    };

    [Theory]
    [MemberData(nameof(OptimizersAndMomenta))]
    public void TheMeasurementDoesNotChangeTraining(string name, double momentum)
    {
        Dataset data = TrainingData.DigitsSubset;
        Mlp measuredNet = TrainingData.DigitsNet();
        Mlp unmeasuredNet = TrainingData.DigitsNet();

        TrainingHistory measured = Create(name, measure: true, epochs: 3, interval: 2, momentum).Train(measuredNet, data, Loss.SoftmaxCrossEntropy);
        TrainingHistory unmeasured = Create(name, measure: false, epochs: 3, interval: 2, momentum).Train(unmeasuredNet, data, Loss.SoftmaxCrossEntropy);

        Assert.Equal(measuredNet.GetParameters().ToArray(), unmeasuredNet.GetParameters().ToArray()); // bit-identical
        Assert.Equal([0, 2, 3], measured.Steps);
        Assert.Equal([2, 3], unmeasured.Steps);
        Assert.Equal(measured.GradientEvaluations[1..], unmeasured.GradientEvaluations);
        Assert.Equal(measured.PassesOverData[1..], unmeasured.PassesOverData);
        Assert.Equal(measured.Optimizer, unmeasured.Optimizer);
        Assert.Equal(StopCondition.EpochLimit, unmeasured.StopCondition);
        Assert.Equal(3, unmeasured.Iterations);
    }

    [Theory]
    [InlineData(nameof(StochasticGradientDescent), 1)]
    [InlineData(nameof(MiniBatchGradientDescent), 16)]
    [InlineData(nameof(BatchGradientDescent), 200)]
    public void EntriesAreTheRecordedEpochsWithoutEntryZero(string name, int batch)
    {
        Dataset data = TrainingData.DigitsSubset; // N = 200
        var reports = new List<TrainingProgress>();
        int updatesPerEpoch = (data.Count + batch - 1) / batch;

        TrainingHistory history = Create(name, measure: false, epochs: 7, interval: 3, momentum: 0.0)
            .Train(TrainingData.DigitsNet(), data.Inputs, data.Targets, Loss.SoftmaxCrossEntropy, null, new SynchronousProgress(reports.Add));

        Assert.Equal([3, 6, 7], history.Steps);
        Assert.Equal([3.0 * updatesPerEpoch, 6.0 * updatesPerEpoch, 7.0 * updatesPerEpoch], history.GradientEvaluations);
        Assert.Equal([3.0, 6, 7], history.PassesOverData);
        Assert.Equal(history.Entries, reports.Select(r => r.Entry));
        Assert.All(history.Entries, e => Assert.Equal(e.Loss / data.Count, e.MeanLoss));
        Assert.All(history.Loss, loss => Assert.True(loss > 0.0 && double.IsFinite(loss)));
    }

    [Theory]
    [InlineData(nameof(StochasticGradientDescent), 1, 0.05)]
    [InlineData(nameof(MiniBatchGradientDescent), 16, 0.5)] // 200 = 12 × 16 + 8: the last batch is smaller
    public void TheLossIsTheSumOfTheEpochsBatchLossesBeforeEachUpdate(string name, int batch, double eta)
    {
        Dataset data = TrainingData.DigitsSubset;
        Loss loss = Loss.SoftmaxCrossEntropy;
        const int seed = 11;
        const int epochs = 3;
        IOptimizer optimizer = name == nameof(StochasticGradientDescent)
            ? new StochasticGradientDescent { LearningRate = eta, Epochs = epochs, Seed = seed, MeasureHistory = false }
            : new MiniBatchGradientDescent { BatchSize = batch, LearningRate = eta, Epochs = epochs, Seed = seed, MeasureHistory = false };
        Mlp net = TrainingData.DigitsNet();
        TrainingHistory history = optimizer.Train(net, data, loss);

        // Replay: the same shuffles (one Random(seed) shuffling the same array every epoch), w ← w − (η/|B|) ∇L_B.
        Mlp replay = TrainingData.DigitsNet();
        int n = data.Count;
        int[] order = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        var expected = new List<double>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order);
            double sum = 0.0;
            for (int first = 0; first < n; first += batch)
            {
                int[] rows = order[first..Math.Min(n, first + batch)];
                Matrix<double> x = Matrix<double>.Build.DenseOfRowVectors(rows.Select(data.Inputs.Row));
                Matrix<double> t = Matrix<double>.Build.DenseOfRowVectors(rows.Select(data.Targets.Row));
                (double batchLoss, Vector<double> gradient) = replay.LossAndGradient(x, t, loss);
                sum += batchLoss;
                replay.SetParameters(replay.GetParameters() - (eta / rows.Length * gradient));
            }

            expected.Add(sum);
        }

        Assert.Equal(epochs, history.Entries.Count);
        for (int e = 0; e < epochs; e++)
        {
            double actual = history.Loss[e];
            Assert.True(Math.Abs(actual - expected[e]) <= 1e-9 * expected[e], $"epoch {e + 1}: recorded L = {actual}, replayed Σ L_B = {expected[e]}.");
            Assert.Equal(actual / n, history.MeanLoss[e]);
        }

        // The replay trained the same weights (up to rounding: it uses a different kernel for the update).
        double[] w = net.GetParameters().ToArray();
        double[] v = replay.GetParameters().ToArray();
        Assert.All(Enumerable.Range(0, w.Length), i => Assert.True(Math.Abs(w[i] - v[i]) <= 1e-9 * (1.0 + Math.Abs(v[i])), $"weight {i}: {w[i]} vs {v[i]}"));
    }

    [Fact]
    public void BatchDescentRecordsTheLossAtTheWeightsBeforeEachUpdate()
    {
        Dataset data = TrainingData.Sine;
        Loss loss = Loss.HalfSumOfSquares;
        double initial = TrainingData.CurveNet().ComputeLoss(data.Inputs, data.Targets, loss);

        TrainingHistory measured = new BatchGradientDescent { Epochs = 20 }.Train(TrainingData.CurveNet(), data, loss);
        TrainingHistory unmeasured = new BatchGradientDescent { Epochs = 20, MeasureHistory = false }.Train(TrainingData.CurveNet(), data, loss);

        // The one batch is the whole set, so epoch e's batch loss is L at the weights after e − 1 updates:
        // exactly the measured entry e − 1.
        Assert.Equal(initial, unmeasured.Loss[0]);
        Assert.Equal(measured.Loss[..^1], unmeasured.Loss);
        Assert.Equal(measured.MeanLoss[..^1], unmeasured.MeanLoss);
        Assert.Equal(Enumerable.Range(1, 20), unmeasured.Steps);
    }

    [Fact]
    public void ObserversAreRefusedAndValidationIsMeasuredWhenGiven()
    {
        (Dataset train, Dataset validation) = TrainingData.DigitsSubset.Split(0.25, seed: 2);
        var net = new Mlp([64, 8, 6, 10], [Activation.ReLU, Activation.Tanh, Activation.Identity], seed: 1);
        var optimizer = new MiniBatchGradientDescent { Epochs = 4, BatchSize = 20, MeasureHistory = false };

        TestSupport.AssertArgumentException(
            () => optimizer.Train(net.Clone(), train, Loss.SoftmaxCrossEntropy, observer: new CountingObserver()), "observer", "MeasureHistory");
        TrainingHistory withValidation = optimizer.Train(net, train, Loss.SoftmaxCrossEntropy, validation);
        TrainingHistory without = optimizer.Train(net.Clone(), train, Loss.SoftmaxCrossEntropy);

        Assert.All(without.ValidationMeanLoss, value => Assert.True(double.IsNaN(value)));
        Assert.All(without.ValidationAccuracy, value => Assert.True(double.IsNaN(value)));
        Assert.All(withValidation.ValidationAccuracy, a => Assert.InRange(a, 0.0, 1.0));
        double expected = net.ComputeLoss(validation.Inputs, validation.Targets, Loss.SoftmaxCrossEntropy) / validation.Count;
        Assert.Equal(expected, withValidation.Last.ValidationMeanLoss, 12);
        Assert.Equal(Metrics.Accuracy(net, validation), withValidation.Last.ValidationAccuracy, 12);
    }

    [Theory]
    [InlineData(nameof(StochasticGradientDescent))]
    [InlineData(nameof(MiniBatchGradientDescent))]
    [InlineData(nameof(BatchGradientDescent))]
    public void DivergenceStillThrowsWithTheEntriesRecordedBefore(string name)
    {
        Dataset data = TrainingData.DigitsSubset;
        var net = new Mlp([64, 10, 10], Activation.Tanh, Activation.Identity, seed: 0);
        IOptimizer optimizer = name switch
        {
            nameof(StochasticGradientDescent) => new StochasticGradientDescent { LearningRate = 1e6, Epochs = 5, MeasureHistory = false },
            nameof(MiniBatchGradientDescent) => new MiniBatchGradientDescent { LearningRate = 1e6, Epochs = 5, MeasureHistory = false },
            _ => new BatchGradientDescent { LearningRate = 1e6, Epochs = 50, MeasureHistory = false },
        };

        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() => optimizer.Train(net, data, Loss.HalfSumOfSquares));

        Assert.Contains(optimizer.Name, e.Message);
        Assert.Contains("Lower the learning rate", e.Message);
        Assert.Equal(StopCondition.Diverged, e.History.StopCondition);
        Assert.StartsWith($"diverged at epoch {e.Step}", e.History.StopReason);
        Assert.Equal(Enumerable.Range(1, e.Step - 1), e.History.Steps); // every completed epoch, no entry 0
        Assert.All(e.History.Loss, loss => Assert.True(double.IsFinite(loss)));

        // The weights from the start of the diverging epoch are finite; unlike a measured run, nothing checked
        // their loss on the whole set (batch GD's first batch there is the whole set, and it overflowed).
        Assert.All(net.GetParameters(), w => Assert.True(double.IsFinite(w)));
    }

    [Fact]
    public void TheDefaultStillMeasures()
    {
        Assert.True(new StochasticGradientDescent().MeasureHistory);
        Assert.True(new MiniBatchGradientDescent().MeasureHistory);
        Assert.True(new BatchGradientDescent().MeasureHistory);
    }

    private static IOptimizer Create(string name, bool measure, int epochs, int interval, double momentum) => name switch
    {
        nameof(StochasticGradientDescent) => new StochasticGradientDescent
        {
            LearningRate = 0.02, Momentum = momentum, Epochs = epochs, Seed = 4, HistoryInterval = interval, MeasureHistory = measure,
        },
        nameof(MiniBatchGradientDescent) => new MiniBatchGradientDescent
        {
            BatchSize = 16, LearningRate = 0.3, Momentum = momentum, Epochs = epochs, Seed = 4, HistoryInterval = interval, MeasureHistory = measure,
        },
        nameof(BatchGradientDescent) => new BatchGradientDescent
        {
            LearningRate = 0.2, Momentum = momentum, Epochs = epochs, HistoryInterval = interval, MeasureHistory = measure,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown optimiser"),
    };

    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed class CountingObserver : ITrainingObserver
    {
        public int Calls { get; private set; }

        public void Observe(TrainingObservation observation) => Calls++;
    }
}
