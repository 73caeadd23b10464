using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>How well a network fits a data set: classification accuracy (arg max) and RMS error.</summary>
public static class Metrics
{
    /// <summary>The index k of the largest entry of each row (the predicted class; ties go to the lowest k).</summary>
    /// <exception cref="ArgumentException">rows has no columns (no entry to pick), or a row holds a NaN, which has no place in an order (the message names the row).</exception>
    public static int[] ArgMax(Matrix<double> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.ColumnCount == 0)
        {
            throw new ArgumentException(
                $"rows must have at least one column (one per class), but it is {rows.RowCount} × 0: a row without entries has no largest entry.", nameof(rows));
        }

        int[] result = new int[rows.RowCount];
        for (int n = 0; n < rows.RowCount; n++)
        {
            int best = 0;
            for (int k = 0; k < rows.ColumnCount; k++)
            {
                if (double.IsNaN(rows[n, k]))
                {
                    throw new ArgumentException($"rows: row {n} has NaN at column {k}, so it has no largest entry.", nameof(rows));
                }

                if (rows[n, k] > rows[n, best])
                {
                    best = k;
                }
            }

            result[n] = best;
        }

        return result;
    }

    /// <summary>
    /// The share of rows whose largest output is at the position of the largest target (one-hot
    /// targets: the predicted class is the true class). Softmax does not change the arg max, so raw
    /// linear outputs work as well.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ, or there are no rows or no columns.</exception>
    public static double Accuracy(Matrix<double> outputs, Matrix<double> targets)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        Guard.Shape(targets, outputs.RowCount, outputs.ColumnCount, nameof(targets), "the shape of outputs");
        if (outputs.RowCount == 0)
        {
            throw new ArgumentException("outputs must have at least one row, but it has 0.", nameof(outputs));
        }

        int[] predicted = ArgMax(outputs);
        int[] actual = ArgMax(targets);
        return (double)predicted.Zip(actual).Count(p => p.First == p.Second) / predicted.Length;
    }

    /// <summary>The network's accuracy on a classification set (see <see cref="Accuracy(Matrix{double}, Matrix{double})"/>).</summary>
    public static double Accuracy(Mlp net, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(data);
        data.Validate();
        return Accuracy(net.Predict(data.Inputs), data.Targets);
    }

    /// <summary>
    /// The root-mean-square error E_RMS = √( (1/(N K)) Σ_n Σ_k (y_nk − t_nk)² ) of the network's
    /// outputs on a data set (for one output, the RMS distance between the fitted and the true curve).
    /// </summary>
    public static double RootMeanSquareError(Mlp net, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(data);
        data.Validate();
        Matrix<double> y = net.Predict(data.Inputs);
        Guard.Shape(data.Targets, y.RowCount, y.ColumnCount, nameof(data), "targets with one column per network output");
        double sum = 0.0;
        for (int k = 0; k < y.ColumnCount; k++)
        {
            for (int n = 0; n < y.RowCount; n++)
            {
                double e = y[n, k] - data.Targets[n, k];
                sum += e * e;
            }
        }

        return Math.Sqrt(sum / (y.RowCount * y.ColumnCount));
    }
}
