using Backprop.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>The kit's parameter order: layer by layer from the input, each weight matrix row by row (w_j0, w_j1, …, w_jD).</summary>
internal static class ParameterOrder
{
    /// <summary>Copies every layer's weights into <paramref name="values"/> in parameter order.</summary>
    public static void Write(Layer[] layers, Span<double> values)
    {
        int offset = 0;
        foreach (Layer layer in layers)
        {
            Elementwise.ToRowMajor(layer.Storage, layer.UnitCount, layer.InputCount + 1, values[offset..]);
            offset += layer.Storage.Length;
        }
    }

    /// <summary>Sets every layer's weights from <paramref name="values"/> in parameter order (length and finiteness checked by the caller).</summary>
    public static void Read(ReadOnlySpan<double> values, Layer[] layers)
    {
        int offset = 0;
        foreach (Layer layer in layers)
        {
            Elementwise.FromRowMajor(values.Slice(offset, layer.Storage.Length), layer.UnitCount, layer.InputCount + 1, layer.Storage);
            offset += layer.Storage.Length;
        }
    }

    /// <summary>The gradient matrices of a backward pass (always dense: the passes build them) as one vector in parameter order.</summary>
    public static Vector<double> Flatten(IReadOnlyList<Matrix<double>> matrices)
    {
        var values = new double[matrices.Sum(m => m.RowCount * m.ColumnCount)];
        int offset = 0;
        foreach (Matrix<double> m in matrices)
        {
            Elementwise.ToRowMajor(m.AsColumnMajorArray(), m.RowCount, m.ColumnCount, values.AsSpan(offset));
            offset += m.RowCount * m.ColumnCount;
        }

        return Vector<double>.Build.DenseOfArray(values);
    }
}
