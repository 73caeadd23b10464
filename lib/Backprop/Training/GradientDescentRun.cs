using System.Globalization;
using System.Numerics.Tensors;
using Backprop.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The loop behind every <see cref="GradientDescentOptimizer"/>: for each mini-batch B, v ← μ v − (η/|B|) Σ_{n∈B} ∇L_n
/// and w ← w + v; measures the entries as <see cref="GradientDescentOptimizer.MeasureHistory"/> says and detects divergence.
/// </summary>
internal static class GradientDescentRun
{
    public static TrainingHistory Train(
        GradientDescentOptimizer optimizer, int batchSize, int? shuffleSeed, Mlp net, HistoryRecorder recorder, CancellationToken cancellationToken = default)
    {
        Matrix<double> inputs = recorder.Inputs;
        Matrix<double> targets = recorder.Targets;
        Loss loss = recorder.Loss;
        int n = recorder.Count;
        bool wholeSet = batchSize == n && shuffleSeed is null;
        bool measure = optimizer.MeasureHistory;
        double[][]? velocity = optimizer.Momentum > 0.0
            ? net.Layers.Select(layer => new double[layer.Weights.RowCount * layer.Weights.ColumnCount]).ToArray()
            : null;

        if (cancellationToken.IsCancellationRequested)
        {
            throw Canceled(recorder, net, net.GetParameters(), 0, cancellationToken);
        }

        // Entry 0: the initial weights. Errors here are the caller's (bad data), not divergence.
        BatchForwardPass? pass = null;
        BatchGradients? gradients = null;
        double startMeanLoss = double.NaN; // L̄₀ of the growth test: entry 0's mean loss, or without it the first batch's, both at the initial weights
        if (measure)
        {
            (pass, gradients) = recorder.Evaluate();
            startMeanLoss = recorder.Record(0, 0, 0.0, pass, gradients).MeanLoss;
        }

        bool current = measure; // whether (pass, gradients) belong to the current weights

        int[] order = Enumerable.Range(0, n).ToArray();
        var random = new Random(shuffleSeed ?? 0);
        long updates = 0;
        long samples = 0;
        recorder.StartClock();
        for (int epoch = 1; epoch <= optimizer.Epochs; epoch++)
        {
            Vector<double> start = net.GetParameters();
            if (shuffleSeed is not null)
            {
                random.Shuffle(order);
            }

            double epochLoss = 0.0; // Σ over the epoch's batches of L_B at the weights before each update
            for (int first = 0; first < n; first += batchSize)
            {
                // Between updates, so that a long epoch (online SGD on a large set) stops promptly; the epoch is undone.
                if (cancellationToken.IsCancellationRequested)
                {
                    throw Canceled(recorder, net, start, epoch, cancellationToken);
                }

                int count = Math.Min(batchSize, n - first);
                BatchGradients g;
                try
                {
                    if (wholeSet && current && gradients is not null)
                    {
                        g = gradients; // batch GD: the entry's evaluation is this step's gradient
                    }
                    else
                    {
                        (Matrix<double> x, Matrix<double> t) = wholeSet ? (inputs, targets) : Gather(inputs, targets, order, first, count);
                        g = net.Backward(BatchPath.Forward(net, x, fingerprint: false), t, loss); // the pass is used here only
                    }
                }
                catch (ArithmeticException e)
                {
                    throw Diverged(optimizer, recorder, net, start, epoch, updates + 1, "the loss overflowed", e);
                }

                current = false;
                epochLoss += g.Loss;
                if (updates == 0 && !measure)
                {
                    startMeanLoss = g.Loss / count;
                }
                if (!Step(net, g, optimizer.LearningRate / count, optimizer.Momentum, velocity))
                {
                    throw Diverged(optimizer, recorder, net, start, epoch, updates + 1, "a weight became NaN or infinite", null);
                }

                updates++;
                samples += count;
            }

            if (!measure)
            {
                // Without the measurement the growth test reads the epoch's batch losses, every epoch.
                double epochMeanLoss = epochLoss / n;
                if (HasExploded(startMeanLoss, epochMeanLoss))
                {
                    throw Diverged(optimizer, recorder, net, start, epoch, updates, Growth("the mean batch loss", startMeanLoss, epochMeanLoss), null);
                }
            }

            if (epoch % optimizer.HistoryInterval != 0 && epoch != optimizer.Epochs)
            {
                continue;
            }

            if (!measure)
            {
                recorder.RecordUnmeasured(epoch, updates, (double)samples / n, epochLoss);
                continue;
            }

            if (!wholeSet)
            {
                recorder.StopClock(); // measuring, not training
            }

            try
            {
                (pass, gradients) = recorder.Evaluate();
            }
            catch (ArithmeticException e)
            {
                throw Diverged(optimizer, recorder, net, start, epoch, updates, "the training loss overflowed", e);
            }

            current = true;
            TrainingEntry entry = recorder.Record(epoch, updates, (double)samples / n, pass, gradients);
            if (HasExploded(startMeanLoss, entry.MeanLoss))
            {
                throw Diverged(optimizer, recorder, net, start, epoch, updates, Growth("the mean loss L/N", startMeanLoss, entry.MeanLoss), null);
            }

            recorder.StartClock();
        }

        return recorder.Finish(StopCondition.EpochLimit, "epoch limit", optimizer.Epochs);
    }

    /// <summary>The growth test of <see cref="GradientDescentOptimizer"/>: L̄ &gt; DivergenceFactor × (L̄₀ + 1).</summary>
    private static bool HasExploded(double startMeanLoss, double meanLoss) =>
        meanLoss > GradientDescentOptimizer.DivergenceFactor * (Math.Abs(startMeanLoss) + 1.0);

    private static string Growth(string what, double startMeanLoss, double meanLoss) => string.Create(
        CultureInfo.InvariantCulture,
        $"{what} grew from {startMeanLoss:G4} at the start to {meanLoss:G4}, more than {GradientDescentOptimizer.DivergenceFactor:G} × ({startMeanLoss:G4} + 1)");

    /// <summary>v ← μ v − scale · ∇L_B, w ← w + v (or w ← w − scale · ∇L_B without momentum). False if a weight became non-finite.</summary>
    private static bool Step(Mlp net, BatchGradients g, double scale, double momentum, double[][]? velocity)
    {
        bool finite = true;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            Layer layer = net.Layers[l];
            double[] values = layer.Storage;
            double[] dw = g.Weights[l].AsColumnMajorArray() ?? g.Weights[l].ToColumnMajorArray();
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

    private static TrainingCanceledException Canceled(HistoryRecorder recorder, Mlp net, Vector<double> start, int epoch, CancellationToken cancellationToken)
    {
        net.SetParameters(start);
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

    private static TrainingDivergedException Diverged(
        GradientDescentOptimizer optimizer, HistoryRecorder recorder, Mlp net, Vector<double> start, int epoch, long update, string what, Exception? inner)
    {
        net.SetParameters(start);
        string where = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}, update {update}");
        TrainingHistory history = recorder.Finish(StopCondition.Diverged, $"diverged at {where}", epoch - 1);
        double eta = optimizer.LearningRate;
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{recorder.Optimizer} diverged at {where}: {what} with learning rate η = {eta}. Lower the learning rate (try η = {eta / 10}) or standardise the inputs, and train again. The network holds the finite weights from the start of epoch {epoch}; the exception's History holds the {recorder.Entries.Count} entries recorded before.");
        return new TrainingDivergedException(message, recorder.Optimizer, epoch, eta, history, inner);
    }
}
