using Backprop.Kernels;

namespace Backprop.Tests;

/// <summary>
/// The internal matrix product behind the batched passes, against a textbook triple loop on random shapes
/// and every layout the passes use (column-major, row-major, transposed, a skipped bias column). Small
/// products must give exactly the textbook sums (the lessons' printed numbers depend on it); the packed
/// FMA kernel for large ones differs only by rounding.
/// </summary>
public sealed class GemmTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 0; seed < 40; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Multiply_equals_the_textbook_sums_for_every_layout(int seed)
    {
        var rng = new Random(seed);
        // Mostly small shapes (one sample, a few units: the exact path), every fifth one large (the packed kernel).
        int Size() => seed % 5 == 4 ? rng.Next(1, 70) : rng.Next(1, 21);
        int m = seed % 7 == 0 ? 1 : Size();
        int n = seed % 7 == 1 ? 1 : Size();
        int k = seed % 7 == 2 ? 1 : Size();
        bool accumulate = rng.Next(2) == 1;

        MatrixView a = RandomView(rng, m, k, out double[] _);
        MatrixView b = RandomView(rng, k, n, out double[] _);
        MatrixView c = RandomView(rng, m, n, out double[] cData);
        double[] expected = (double[])cData.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int ci = c.Offset + (i * c.RowStride) + (j * c.ColumnStride);
                double sum = accumulate ? expected[ci] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    sum += At(a, i, p) * At(b, p, j);
                }

                expected[ci] = sum;
            }
        }

        Gemm.Multiply(a, b, c, accumulate);

        bool small = (long)m * n * k < 2048;
        for (int index = 0; index < cData.Length; index++)
        {
            if (small)
            {
                Assert.True(
                    BitConverter.DoubleToInt64Bits(expected[index]) == BitConverter.DoubleToInt64Bits(cData[index]),
                    $"C storage[{index}] of a {m}×{k}·{k}×{n} product (accumulate {accumulate}): expected exactly {expected[index]:R}, got {cData[index]:R}");
            }
            else
            {
                Assert.True(
                    Math.Abs(expected[index] - cData[index]) <= 1e-12 * (1.0 + Math.Abs(expected[index])),
                    $"C storage[{index}] of a {m}×{k}·{k}×{n} product: expected {expected[index]:R}, got {cData[index]:R}");
            }
        }
    }

    /// <summary>
    /// The same bits on every CPU: the 256-bit code this machine runs (AVX2 and FMA register tiles, 256-bit column
    /// updates) against the 128-bit code (ARM64's width) and the scalar code of a CPU without FMA, on shapes small and
    /// large, with partial tiles at every edge, more than one 128-row block, every layout and both accumulate modes. A path
    /// that summed in another order, or fused a multiply-add another does not, differs in the last bits of some element here.
    /// (Where this CPU lacks AVX2 or FMA the wider code falls back to the narrower, and the comparison proves less.)
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Vector_and_scalar_code_give_the_same_bits(int seed)
    {
        // The same random set-up twice, one product by each code path.
        (double[] C, string Shape) Run(Gemm.Width widest)
        {
            var rng = new Random(1000 + seed);
            int m = seed % 8 == 0 ? rng.Next(129, 300) : rng.Next(1, 60);
            int n = rng.Next(1, 40);
            int k = seed % 8 == 1 ? 1 : rng.Next(1, 70);
            bool accumulate = rng.Next(2) == 1;
            MatrixView a = RandomView(rng, m, k, out double[] _);
            MatrixView b = RandomView(rng, k, n, out double[] _);
            MatrixView c = RandomView(rng, m, n, out double[] cData);
            Gemm.Multiply(a, b, c, accumulate, widest);
            return (cData, $"{m}×{k}·{k}×{n} product ({m * n * k} multiply-adds, accumulate {accumulate})");
        }

        var (wide, shape) = Run(Gemm.Width.Bits256);
        foreach (var width in new[] { Gemm.Width.Bits128, Gemm.Width.Scalar })
        {
            var (narrow, _) = Run(width);
            for (int index = 0; index < wide.Length; index++)
            {
                Assert.True(
                    BitConverter.DoubleToInt64Bits(narrow[index]) == BitConverter.DoubleToInt64Bits(wide[index]),
                    $"C storage[{index}] of a {shape}: 256-bit code {wide[index]:R}, {width} code {narrow[index]:R}");
            }
        }
    }

    [Fact]
    public void Multiply_rejects_shapes_that_do_not_fit()
    {
        ArgumentException? e = null;
        try
        {
            Gemm.Multiply(MatrixView.ColumnMajor(new double[6], 2, 3), MatrixView.ColumnMajor(new double[8], 4, 2), MatrixView.ColumnMajor(new double[4], 2, 2), accumulate: false);
        }
        catch (ArgumentException caught)
        {
            e = caught;
        }

        Assert.NotNull(e);
        Assert.Contains("(2 × 3) · (4 × 2)", e.Message);
    }

    private static double At(MatrixView x, int r, int c) => x.Data[x.Offset + (r * x.RowStride) + (c * x.ColumnStride)];

    /// <summary>A rows × columns view in one of the passes' layouts, over random data with room around it.</summary>
    private static MatrixView RandomView(Random rng, int rows, int columns, out double[] data)
    {
        int layout = rng.Next(4);
        data = new double[(rows + 1) * (columns + 1) + 3];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (rng.NextDouble() * 2.0) - 1.0;
        }

        return layout switch
        {
            0 => MatrixView.ColumnMajor(data, rows, columns),
            1 => MatrixView.RowMajor(data, rows, columns, offset: 2),
            2 => MatrixView.ColumnMajor(data, columns, rows).Transposed,
            _ => MatrixView.ColumnMajor(data, rows, columns + 1).ColumnsFrom(1),   // a weight matrix without its bias column
        };
    }
}
