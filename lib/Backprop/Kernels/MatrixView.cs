namespace Backprop.Kernels;

/// <summary>
/// A rows × columns matrix laid over a raw array with strides: X(r, c) = Data[Offset + r·RowStride + c·ColumnStride].
/// Lets <see cref="Gemm.Multiply(MatrixView, MatrixView, MatrixView, bool)"/> read MathNet's column-major storage as it is, transposed or with
/// the bias column skipped, without copies.
/// </summary>
internal readonly ref struct MatrixView
{
    private MatrixView(double[] data, int offset, int rows, int columns, int rowStride, int columnStride)
    {
        Data = data;
        Offset = offset;
        Rows = rows;
        Columns = columns;
        RowStride = rowStride;
        ColumnStride = columnStride;
    }

    public double[] Data { get; }

    public int Offset { get; }

    public int Rows { get; }

    public int Columns { get; }

    public int RowStride { get; }

    public int ColumnStride { get; }

    /// <summary>The transpose Xᵀ: the same storage with rows and columns swapped.</summary>
    public MatrixView Transposed => new(Data, Offset, Columns, Rows, ColumnStride, RowStride);

    /// <summary>A rows × columns matrix stored column by column (MathNet's dense layout), from data[offset].</summary>
    public static MatrixView ColumnMajor(double[] data, int rows, int columns, int offset = 0) => new(data, offset, rows, columns, 1, rows);

    /// <summary>A rows × columns matrix stored row by row (the kit's parameter order), from data[offset].</summary>
    public static MatrixView RowMajor(double[] data, int rows, int columns, int offset = 0) => new(data, offset, rows, columns, columns, 1);

    /// <summary>The columns from <paramref name="first"/> on, e.g. a weight matrix without its bias column 0.</summary>
    public MatrixView ColumnsFrom(int first) => new(Data, Offset + (first * ColumnStride), Rows, Columns - first, RowStride, ColumnStride);
}
