using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

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
