using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// What the backward pass returns for one sample: the deltas δ of every layer (steps 2 and 3 of
/// the lecture's algorithm) and ∂L_n/∂w = δ × input for every weight (step 4). Lesson 02.
/// </summary>
public sealed class Gradients
{
    internal Gradients(double loss, Vector<double>[] delta, Matrix<double>[] weights)
    {
        Loss = loss;
        Delta = delta;
        Weights = weights;
    }

    /// <summary>The loss L_n of this sample.</summary>
    public double Loss { get; }

    /// <summary><c>Delta[l]</c>: δ_j = ∂L_n/∂a_j for the units of <c>Layers[l]</c>; the last entry holds the output deltas δ_k.</summary>
    public IReadOnlyList<Vector<double>> Delta { get; }

    /// <summary>
    /// <c>Weights[l]</c>: ∂L_n/∂w_ji = δ_j · z_i for <c>Layers[l]</c>, the same shape as its weights
    /// (column 0: the bias gradient δ_j · 1).
    /// </summary>
    public IReadOnlyList<Matrix<double>> Weights { get; }

    /// <summary>All weight gradients in the kit's parameter order (see <see cref="Mlp.GetParameters"/>).</summary>
    public Vector<double> ToVector() => ParameterOrder.Flatten(Weights);
}

/// <summary>
/// The backward pass over a batch: deltas per sample and the gradient of the summed loss L = Σ_n L_n.
/// </summary>
public sealed class BatchGradients
{
    internal BatchGradients(double loss, Matrix<double>[] delta, Matrix<double>[] weights)
    {
        Loss = loss;
        Delta = delta;
        Weights = weights;
    }

    /// <summary>The summed loss L = Σ_n L_n over the batch.</summary>
    public double Loss { get; }

    /// <summary><c>Delta[l]</c>: row n holds δ of <c>Layers[l]</c>'s units for sample n.</summary>
    public IReadOnlyList<Matrix<double>> Delta { get; }

    /// <summary><c>Weights[l]</c>: ∂L/∂w = Σ_n δ_j^(n) z_i^(n) for <c>Layers[l]</c>, the same shape as its weights.</summary>
    public IReadOnlyList<Matrix<double>> Weights { get; }

    /// <summary>All weight gradients in the kit's parameter order (see <see cref="Mlp.GetParameters"/>).</summary>
    public Vector<double> ToVector() => ParameterOrder.Flatten(Weights);
}

/// <summary>The kit's parameter order: layer by layer from the input, each weight matrix row by row (w_j0, w_j1, …, w_jD).</summary>
internal static class ParameterOrder
{
    public static Vector<double> Flatten(IReadOnlyList<Matrix<double>> matrices)
    {
        int count = matrices.Sum(m => m.RowCount * m.ColumnCount);
        var values = new double[count];
        int offset = 0;
        foreach (Matrix<double> m in matrices)
        {
            offset += CopyRowMajor(m, values.AsSpan(offset));
        }

        return Vector<double>.Build.DenseOfArray(values);
    }

    public static int CopyRowMajor(Matrix<double> m, Span<double> destination)
    {
        int rows = m.RowCount;
        int columns = m.ColumnCount;
        double[] columnMajor = m.AsColumnMajorArray() ?? m.ToColumnMajorArray();
        for (int j = 0; j < rows; j++)
        {
            for (int i = 0; i < columns; i++)
            {
                destination[(j * columns) + i] = columnMajor[(i * rows) + j];
            }
        }

        return rows * columns;
    }

    public static int CopyFromRowMajor(ReadOnlySpan<double> source, Matrix<double> m)
    {
        int rows = m.RowCount;
        int columns = m.ColumnCount;
        double[]? columnMajor = m.AsColumnMajorArray();
        for (int j = 0; j < rows; j++)
        {
            for (int i = 0; i < columns; i++)
            {
                if (columnMajor is not null)
                {
                    columnMajor[(i * rows) + j] = source[(j * columns) + i];
                }
                else
                {
                    m[j, i] = source[(j * columns) + i];
                }
            }
        }

        return rows * columns;
    }
}
