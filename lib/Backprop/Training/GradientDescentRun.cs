using System.Globalization;
using System.Numerics.Tensors;
using Backprop.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>What a gradient-descent run needs of its optimiser: η, μ, the epochs, the history's rhythm and the batches.</summary>
/// <param name="LearningRate">η &gt; 0, applied to the batch's mean gradient.</param>
/// <param name="Momentum">μ in [0, 1); 0 for none.</param>
/// <param name="Epochs">The number of passes over the training set.</param>
/// <param name="HistoryInterval">Record an entry every this many epochs (and after the last).</param>
/// <param name="MeasureHistory">Whether entries are measured by a pass over the whole training set.</param>
/// <param name="BatchSize">The samples per update.</param>
/// <param name="ShuffleSeed">The seed of the per-epoch shuffles, or null to visit the samples in order.</param>
internal sealed record GradientDescentSettings(
    double LearningRate, double Momentum, int Epochs, int HistoryInterval, bool MeasureHistory, int BatchSize, int? ShuffleSeed);

/// <summary>
/// The loop behind every gradient-descent optimiser: for each mini-batch B, v ← μ v − (η/|B|) Σ_{n∈B} ∇L_n and
/// w ← w + v; measures the entries as the settings say and detects divergence (see GradientDescentOptimizer's remarks).
/// </summary>
internal sealed class GradientDescentRun
{
    /// <summary>How many times the starting mean loss (plus 1) a mean loss must exceed to count as divergence.</summary>
    public const double DivergenceFactor = 1e3;

    private readonly GradientDescentSettings _settings;
    private readonly Mlp _net;
    private readonly TrainingData _data;
    private readonly HistoryRecorder _recorder;
    private readonly bool _wholeSet;          // every update is over the whole set, in order: batch descent
    private readonly double[][]? _velocity;   // v of each layer, null without momentum
    private readonly int[] _order;
    private readonly Random _random;
    private BatchGradients? _current;         // the last measurement's gradient while the weights are still those it measured
    private double _startMeanLoss = double.NaN; // L̄₀ of the growth test: entry 0's mean loss, or without it the first batch's
    private long _updates;
    private long _samples;

    private GradientDescentRun(GradientDescentSettings settings, Mlp net, TrainingData data, HistoryRecorder recorder)
    {
        _settings = settings;
        _net = net;
        _data = data;
        _recorder = recorder;
        _wholeSet = settings.BatchSize == data.Count && settings.ShuffleSeed is null;
        _velocity = settings.Momentum > 0.0
            ? net.Layers.Select(layer => new double[layer.Weights.RowCount * layer.Weights.ColumnCount]).ToArray()
            : null;
        _order = Enumerable.Range(0, data.Count).ToArray();
        _random = new Random(settings.ShuffleSeed ?? 0);
    }

    public static TrainingHistory Train(
        GradientDescentSettings settings, Mlp net, TrainingData data, HistoryRecorder recorder, CancellationToken cancellationToken = default) =>
        new GradientDescentRun(settings, net, data, recorder).Run(cancellationToken);

    private TrainingHistory Run(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            throw Canceled(_net.GetParameters(), 0, cancellationToken);
        }

        // Entry 0: the initial weights. Errors here are the caller's (bad data), not divergence.
        if (_settings.MeasureHistory)
        {
            (BatchForwardPass pass, _current) = _data.Evaluate(_net, fingerprint: _recorder.ShowsPasses);
            _startMeanLoss = _recorder.Record(0, 0, 0.0, pass, _current).MeanLoss;
        }

        _recorder.StartClock();
        for (int epoch = 1; epoch <= _settings.Epochs; epoch++)
        {
            Vector<double> start = _net.GetParameters();
            double epochLoss = RunEpoch(epoch, start, cancellationToken); // Σ over the epoch's batches of L_B at the weights before each update
            if (!_settings.MeasureHistory)
            {
                // Without the measurement the growth test reads the epoch's batch losses, every epoch.
                double epochMeanLoss = epochLoss / _data.Count;
                if (HasExploded(_startMeanLoss, epochMeanLoss))
                {
                    throw Diverged(start, epoch, _updates, Growth("the mean batch loss", _startMeanLoss, epochMeanLoss), null);
                }
            }

            if (epoch % _settings.HistoryInterval != 0 && epoch != _settings.Epochs)
            {
                continue;
            }

            if (_settings.MeasureHistory)
            {
                Measure(epoch, start);
            }
            else
            {
                _recorder.RecordUnmeasured(epoch, _updates, (double)_samples / _data.Count, epochLoss);
            }
        }

        return _recorder.Finish(StopCondition.EpochLimit, "epoch limit", _settings.Epochs);
    }

    /// <summary>One pass over the training set, one update per batch; returns Σ_B L_B, each at the weights before its update.</summary>
    private double RunEpoch(int epoch, Vector<double> start, CancellationToken cancellationToken)
    {
        int n = _data.Count;
        if (_settings.ShuffleSeed is not null)
        {
            _random.Shuffle(_order);
        }

        double epochLoss = 0.0;
        for (int first = 0; first < n; first += _settings.BatchSize)
        {
            // Between updates, so that a long epoch (online SGD on a large set) stops promptly; the epoch is undone.
            if (cancellationToken.IsCancellationRequested)
            {
                throw Canceled(start, epoch, cancellationToken);
            }

            int count = Math.Min(_settings.BatchSize, n - first);
            BatchGradients g = BatchGradient(epoch, start, first, count);
            _current = null;
            epochLoss += g.Loss;
            if (_updates == 0 && !_settings.MeasureHistory)
            {
                _startMeanLoss = g.Loss / count;
            }

            if (!Step(_net, g, _settings.LearningRate / count, _settings.Momentum, _velocity))
            {
                throw Diverged(start, epoch, _updates + 1, "a weight became NaN or infinite", null);
            }

            _updates++;
            _samples += count;
        }

        return epochLoss;
    }

    /// <summary>Σ_{n∈B} ∇L_n of the batch of <paramref name="count"/> samples from <paramref name="first"/> in this epoch's order.</summary>
    private BatchGradients BatchGradient(int epoch, Vector<double> start, int first, int count)
    {
        try
        {
            if (_wholeSet && _current is not null)
            {
                return _current; // batch GD: the entry's evaluation is this step's gradient
            }

            (Matrix<double> x, Matrix<double> t) = _wholeSet ? (_data.Inputs, _data.Targets) : Gather(_data.Inputs, _data.Targets, _order, first, count);
            return _net.Backward(BatchPath.Forward(_net, x, fingerprint: false), t, _data.Loss); // the pass is used here only
        }
        catch (ArithmeticException e)
        {
            throw Diverged(start, epoch, _updates + 1, "the loss overflowed", e);
        }
    }

    /// <summary>The entry at the end of an epoch, measured by a pass over the whole training set, then the growth test.</summary>
    private void Measure(int epoch, Vector<double> start)
    {
        if (!_wholeSet)
        {
            _recorder.StopClock(); // measuring, not training
        }

        BatchForwardPass pass;
        BatchGradients gradients;
        try
        {
            (pass, gradients) = _data.Evaluate(_net, fingerprint: _recorder.ShowsPasses);
        }
        catch (ArithmeticException e)
        {
            throw Diverged(start, epoch, _updates, "the training loss overflowed", e);
        }

        _current = gradients;
        TrainingEntry entry = _recorder.Record(epoch, _updates, (double)_samples / _data.Count, pass, gradients);
        if (HasExploded(_startMeanLoss, entry.MeanLoss))
        {
            throw Diverged(start, epoch, _updates, Growth("the mean loss L/N", _startMeanLoss, entry.MeanLoss), null);
        }

        _recorder.StartClock();
    }

    /// <summary>The growth test: L̄ &gt; DivergenceFactor × (L̄₀ + 1).</summary>
    private static bool HasExploded(double startMeanLoss, double meanLoss) =>
        meanLoss > DivergenceFactor * (Math.Abs(startMeanLoss) + 1.0);

    private static string Growth(string what, double startMeanLoss, double meanLoss) => string.Create(
        CultureInfo.InvariantCulture,
        $"{what} grew from {startMeanLoss:G4} at the start to {meanLoss:G4}, more than {DivergenceFactor:G} × ({startMeanLoss:G4} + 1)");

    /// <summary>v ← μ v − scale · ∇L_B, w ← w + v (or w ← w − scale · ∇L_B without momentum). False if a weight became non-finite.</summary>
    private static bool Step(Mlp net, BatchGradients g, double scale, double momentum, double[][]? velocity)
    {
        bool finite = true;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            Layer layer = net.Layers[l];
            double[] values = layer.Storage;
            Matrix<double> gradient = g.WeightGradient(l + 1);
            double[] dw = gradient.AsColumnMajorArray() ?? gradient.ToColumnMajorArray();
            if (velocity is null)
            {
                TensorPrimitives.MultiplyAdd(dw, -scale, values, values);           // w ← w − η ∇L
            }
            else
            {
                double[] v = velocity[l];
                TensorPrimitives.Multiply(v, momentum, v);                          // v ← μ v
                TensorPrimitives.MultiplyAdd(dw, -scale, v, v);                     //   − η ∇L
                TensorPrimitives.Add(values, v, values);                           // w ← w + v
            }

            layer.MarkUpdated();
            finite &= Elementwise.AllFinite(values);
        }

        return finite;
    }

    private static (Matrix<double> X, Matrix<double> T) Gather(Matrix<double> inputs, Matrix<double> targets, int[] order, int first, int count) =>
        (Rows(inputs, order, first, count), Rows(targets, order, first, count));

    private static Matrix<double> Rows(Matrix<double> source, int[] order, int first, int count)
    {
        int rows = source.RowCount;
        int columns = source.ColumnCount;
        double[] from = source.AsColumnMajorArray() ?? source.ToColumnMajorArray();
        double[] to = new double[count * columns];
        for (int c = 0; c < columns; c++)
        {
            int offset = c * rows;
            for (int r = 0; r < count; r++)
            {
                to[(c * count) + r] = from[offset + order[first + r]];
            }
        }

        return Matrix<double>.Build.Dense(count, columns, to);
    }

    private TrainingCanceledException Canceled(Vector<double> start, int epoch, CancellationToken cancellationToken)
    {
        HistoryRecorder recorder = _recorder;
        _net.SetParameters(start);
        string where = string.Create(CultureInfo.InvariantCulture, $"in epoch {epoch}");
        TrainingHistory history = recorder.Finish(StopCondition.Canceled, $"canceled {where}", Math.Max(epoch - 1, 0));
        string holds = epoch <= 1
            ? "its initial weights"
            : string.Create(CultureInfo.InvariantCulture, $"the weights from the end of epoch {epoch - 1}");
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{recorder.Optimizer} was canceled {where}. The network holds {holds}; the exception's History holds the {recorder.Entries.Count} entries recorded before.");
        return new TrainingCanceledException(message, recorder.Optimizer, epoch, history, cancellationToken);
    }

    private TrainingDivergedException Diverged(Vector<double> start, int epoch, long update, string what, Exception? inner)
    {
        HistoryRecorder recorder = _recorder;
        _net.SetParameters(start);
        string where = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}, update {update}");
        TrainingHistory history = recorder.Finish(StopCondition.Diverged, $"diverged at {where}", epoch - 1);
        double eta = _settings.LearningRate;
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{recorder.Optimizer} diverged at {where}: {what} with learning rate η = {eta}. Lower the learning rate (try η = {eta / 10}) or standardise the inputs, and train again. The network holds the finite weights from the start of epoch {epoch}; the exception's History holds the {recorder.Entries.Count} entries recorded before.");
        return new TrainingDivergedException(message, recorder.Optimizer, epoch, eta, history, inner);
    }
}
