using System.Globalization;
using System.Numerics.Tensors;
using Backprop.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>The settings the three gradient-descent optimisers share.</summary>
internal readonly record struct GradientDescentSettings(
    string Optimizer,
    int BatchSize,
    double LearningRate,
    double Momentum,
    int Epochs,
    int Seed,
    bool Shuffle,
    int HistoryInterval,
    bool MeasureHistory);

/// <summary>
/// The loop behind <see cref="StochasticGradientDescent"/>, <see cref="MiniBatchGradientDescent"/> and
/// <see cref="BatchGradientDescent"/>: for each mini-batch B, v ← μ v − (η/|B|) Σ_{n∈B} ∇L_n and w ← w + v.
/// </summary>
/// <remarks>
/// With <see cref="GradientDescentSettings.MeasureHistory"/> each recorded epoch costs one extra forward and
/// backward pass over the whole training set (entry 0 as well); without it the entries only sum the batch
/// losses L_B the updates computed anyway, so the loop does exactly the work of the updates.
/// </remarks>
internal static class GradientDescentRun
{
    public static TrainingHistory Train(
        GradientDescentSettings settings, Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation, IProgress<TrainingProgress>? progress)
    {
        var recorder = new HistoryRecorder(settings.Optimizer, "epoch", net, inputs, targets, loss, validation, progress);
        int n = recorder.Count;
        int batchSize = settings.BatchSize == 0 ? n : settings.BatchSize;
        if (batchSize > n)
        {
            throw new ArgumentOutOfRangeException(
                "BatchSize", settings.BatchSize, $"BatchSize must not exceed the number of training samples, {n}, but it is {settings.BatchSize}.");
        }

        bool wholeSet = batchSize == n && !settings.Shuffle;
        bool measure = settings.MeasureHistory;
        double[][]? velocity = settings.Momentum > 0.0
            ? net.Layers.Select(layer => new double[layer.Weights.RowCount * layer.Weights.ColumnCount]).ToArray()
            : null;

        // Entry 0: the initial weights. Errors here are the caller's (bad data), not divergence.
        BatchForwardPass? pass = null;
        BatchGradients? gradients = null;
        if (measure)
        {
            (pass, gradients) = recorder.Evaluate();
            recorder.Record(0, 0, 0.0, pass, gradients);
        }

        bool current = measure; // whether (pass, gradients) belong to the current weights

        int[] order = Enumerable.Range(0, n).ToArray();
        var random = new Random(settings.Seed);
        long updates = 0;
        long samples = 0;
        recorder.StartClock();
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            Vector<double> start = net.GetParameters();
            if (settings.Shuffle)
            {
                random.Shuffle(order);
            }

            double epochLoss = 0.0; // Σ over the epoch's batches of L_B at the weights before each update
            for (int first = 0; first < n; first += batchSize)
            {
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
                        g = net.Backward(net.Forward(x), t, loss);
                    }
                }
                catch (ArithmeticException e)
                {
                    throw Diverged(settings, recorder, net, start, epoch, updates + 1, "the loss overflowed", e);
                }

                current = false;
                epochLoss += g.Loss;
                if (!Step(net, g, settings.LearningRate / count, settings.Momentum, velocity))
                {
                    throw Diverged(settings, recorder, net, start, epoch, updates + 1, "a weight became NaN or infinite", null);
                }

                updates++;
                samples += count;
            }

            if (epoch % settings.HistoryInterval != 0 && epoch != settings.Epochs)
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
                throw Diverged(settings, recorder, net, start, epoch, updates, "the training loss overflowed", e);
            }

            current = true;
            recorder.Record(epoch, updates, (double)samples / n, pass, gradients);
            recorder.StartClock();
        }

        return recorder.Finish(StopCondition.EpochLimit, "epoch limit", settings.Epochs);
    }

    /// <summary>v ← μ v − scale · ∇L_B, w ← w + v (or w ← w − scale · ∇L_B without momentum). False if a weight became non-finite.</summary>
    private static bool Step(Mlp net, BatchGradients g, double scale, double momentum, double[][]? velocity)
    {
        bool finite = true;
        for (int l = 0; l < net.Layers.Count; l++)
        {
            Matrix<double> weights = net.Layers[l].Weights;
            double[] dw = g.Weights[l].AsColumnMajorArray() ?? g.Weights[l].ToColumnMajorArray();
            double[]? w = weights.AsColumnMajorArray();
            double[] values = w ?? weights.ToColumnMajorArray();
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

            finite &= Elementwise.AllFinite(values);
            if (w is null && finite)
            {
                weights.SetWeightsFromColumnMajor(values);
            }
        }

        return finite;
    }

    private static void SetWeightsFromColumnMajor(this Matrix<double> weights, double[] values) =>
        Matrix<double>.Build.Dense(weights.RowCount, weights.ColumnCount, values).CopyTo(weights);

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

    private static TrainingDivergedException Diverged(
        GradientDescentSettings settings, HistoryRecorder recorder, Mlp net, Vector<double> start, int epoch, long update, string what, Exception? inner)
    {
        net.SetParameters(start);
        string where = string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}, update {update}");
        TrainingHistory history = recorder.Finish(StopCondition.Diverged, $"diverged at {where}", epoch - 1);
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{settings.Optimizer} diverged at {where}: {what} with learning rate η = {settings.LearningRate}. Lower the learning rate (try η = {settings.LearningRate / 10}) or standardise the inputs, and train again. The network holds the finite weights from the start of epoch {epoch}; the exception's History holds the {recorder.Entries.Count} entries recorded before.");
        return new TrainingDivergedException(message, settings.Optimizer, epoch, settings.LearningRate, history, inner);
    }
}
