using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

/// <summary>
/// Element-wise loops of the batched passes: sums, finiteness checks and the row-major ↔ column-major copies of the
/// parameter vector (tanh, the one activation with a kernel of its own, is <see cref="VectorTanh"/>).
/// </summary>
/// <remarks>
/// A seed must give the same numbers on every run and every machine, so nothing here may depend on how wide the
/// CPU's vectors are, whether it has fused multiply-add, nor where in memory an array happens to start. Products and
/// differences are exact per element, so TensorPrimitives is safe for them. A reduction is not: TensorPrimitives.Sum adds
/// in an order that follows the vector width, so with AVX-512 a lesson printed other losses than its Markdown quoted; sums
/// therefore run in the plain loop's order (<see cref="Sum"/>).
/// </remarks>
internal static class Elementwise
{
    /// <summary>True when every entry is a finite number (x − x is 0 for finite x and NaN for ±∞ and NaN).</summary>
    public static bool AllFinite(ReadOnlySpan<double> values)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= 4)
        {
            ref double r = ref MemoryMarshal.GetReference(values);
            Vector256<double> sum = Vector256<double>.Zero;
            for (; i + 4 <= values.Length; i += 4)
            {
                Vector256<double> v = Vector256.LoadUnsafe(ref r, (nuint)i);
                sum += v - v;
            }

            if (!Vector256.EqualsAll(sum, Vector256<double>.Zero))
            {
                return false;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Copies a column-major rows × columns matrix into destination in row-major order.</summary>
    public static void ToRowMajor(double[] columnMajor, int rows, int columns, Span<double> destination) =>
        Transpose(columnMajor, columns, rows, destination);   // column-major rows × columns = row-major columns × rows

    /// <summary>Copies a row-major rows × columns block into a column-major array.</summary>
    public static void FromRowMajor(ReadOnlySpan<double> rowMajor, int rows, int columns, double[] columnMajor) =>
        Transpose(rowMajor, rows, columns, columnMajor);

    /// <summary>destination (row-major, columns × rows) = the transpose of source (row-major, rows × columns), in 4 × 4 blocks.</summary>
    private static void Transpose(ReadOnlySpan<double> source, int rows, int columns, Span<double> destination)
    {
        source = source[..(rows * columns)];
        destination = destination[..(rows * columns)];
        int j = 0;
        if (Avx.IsSupported)
        {
            ref double s = ref MemoryMarshal.GetReference(source);
            ref double d = ref MemoryMarshal.GetReference(destination);
            for (; j + 4 <= rows; j += 4)
            {
                int i = 0;
                for (; i + 4 <= columns; i += 4)
                {
                    nuint at = (nuint)((j * columns) + i);
                    Vector256<double> r0 = Vector256.LoadUnsafe(ref s, at);
                    Vector256<double> r1 = Vector256.LoadUnsafe(ref s, at + (nuint)columns);
                    Vector256<double> r2 = Vector256.LoadUnsafe(ref s, at + (nuint)(2 * columns));
                    Vector256<double> r3 = Vector256.LoadUnsafe(ref s, at + (nuint)(3 * columns));
                    Vector256<double> t0 = Avx.UnpackLow(r0, r1);
                    Vector256<double> t1 = Avx.UnpackHigh(r0, r1);
                    Vector256<double> t2 = Avx.UnpackLow(r2, r3);
                    Vector256<double> t3 = Avx.UnpackHigh(r2, r3);
                    nuint to = (nuint)((i * rows) + j);
                    Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref d, to);
                    Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref d, to + (nuint)rows);
                    Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref d, to + (nuint)(2 * rows));
                    Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref d, to + (nuint)(3 * rows));
                }

                for (; i < columns; i++)
                {
                    for (int jj = j; jj < j + 4; jj++)
                    {
                        destination[(i * rows) + jj] = source[(jj * columns) + i];
                    }
                }
            }
        }

        for (; j < rows; j++)
        {
            for (int i = 0; i < columns; i++)
            {
                destination[(i * rows) + j] = source[(j * columns) + i];
            }
        }
    }

    /// <summary>Σ of <paramref name="values"/> in order (Σ_n δ_j over a batch: the bias gradient), as the per-sample loop adds them.</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        double sum = 0.0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum;
    }
}
