using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.Kernels;

/// <summary>
/// Element-wise loops of the batched passes: z = h(a), h'(a) through z, sums, finiteness checks and the
/// row-major ↔ column-major copies of the parameter vector. Same maths as <see cref="Activation"/>.
/// </summary>
/// <remarks>
/// A seed must give the same numbers on every machine, so nothing here may depend on how wide the CPU's vectors are.
/// Element-wise operations are safe: a product or a difference is exact per element, and TensorPrimitives.Tanh computes
/// each element with the same steps in 128-, 256- and 512-bit vectors. A reduction is not: TensorPrimitives.Sum adds in
/// an order that follows the vector width, so with AVX-512 a lesson printed other losses than its Markdown quoted. Sums
/// therefore run in the plain loop's order (<see cref="Sum"/>). CpuIndependenceTests checks all of it bit for bit.
/// </remarks>
internal static class Elementwise
{
    /// <summary>Below this |a| the vectorised tanh is replaced by its Taylor series (TensorPrimitives.Tanh loses relative accuracy near 0).</summary>
    private const double SmallTanh = 0.1;

    /// <summary>z_j = h(a_j) for a whole batch: tanh vectorised (within ~1e-15 relative of Math.Tanh), identity and the ReLU family exactly.</summary>
    public static void Value(Activation h, ReadOnlySpan<double> a, Span<double> z)
    {
        switch (h.Kind)
        {
            case ActivationKind.Identity:
                a.CopyTo(z);
                break;
            case ActivationKind.Tanh:
                Tanh(a, z);
                break;
            case ActivationKind.ReLU:
            case ActivationKind.LeakyReLU:
                double k = h.K ?? 0.0;
                for (int j = 0; j < a.Length; j++)
                {
                    double aj = a[j];
                    z[j] = aj > 0.0 ? aj : k * aj;
                }

                break;
            default:
                h.Value(a, z);
                break;
        }
    }

    /// <summary>d_j = h'(a_j) written through z_j = h(a_j): the same formulas as <see cref="Activation.DerivativeFromOutput(double)"/>.</summary>
    public static void DerivativeFromOutput(Activation h, ReadOnlySpan<double> z, Span<double> d)
    {
        switch (h.Kind)
        {
            case ActivationKind.Identity:
                d.Fill(1.0);
                break;
            case ActivationKind.Tanh:
                // 1 − y², rounded exactly as the scalar form (y·y, then the subtraction).
                TensorPrimitives.Multiply(z, z, d);
                TensorPrimitives.Subtract(1.0, d, d);
                break;
            default:
                h.UncheckedDerivativeFromOutput(z, d);
                break;
        }
    }

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

    private static void Tanh(ReadOnlySpan<double> a, Span<double> z)
    {
        TensorPrimitives.Tanh(a, z);

        // Near 0 tanh(a) = a − a³/3 + 2a⁵/15 − 17a⁷/315 + 62a⁹/2835 − 1382a¹¹/155925 + 21844a¹³/6081075 − …;
        // for |a| < 0.1 the omitted terms are below 2e-17 relative.
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double zr = ref MemoryMarshal.GetReference(z);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var small = Vector256.Create(SmallTanh);
            for (; j + 4 <= a.Length; j += 4)
            {
                Vector256<double> x = Vector256.LoadUnsafe(ref ar, (nuint)j);
                Vector256<double> mask = Vector256.LessThan(Vector256.Abs(x), small);
                if (mask != Vector256<double>.Zero)
                {
                    Vector256<double> series = TaylorTanh(x);
                    Vector256.ConditionalSelect(mask, series, Vector256.LoadUnsafe(ref zr, (nuint)j)).StoreUnsafe(ref zr, (nuint)j);
                }
            }
        }

        for (; j < a.Length; j++)
        {
            if (Math.Abs(a[j]) < SmallTanh)
            {
                z[j] = Math.Tanh(a[j]);
            }
        }
    }

    private static Vector256<double> TaylorTanh(Vector256<double> x)
    {
        Vector256<double> x2 = x * x;
        Vector256<double> p = Vector256.Create(21844.0 / 6081075.0);
        p = (p * x2) + Vector256.Create(-1382.0 / 155925.0);
        p = (p * x2) + Vector256.Create(62.0 / 2835.0);
        p = (p * x2) + Vector256.Create(-17.0 / 315.0);
        p = (p * x2) + Vector256.Create(2.0 / 15.0);
        p = (p * x2) + Vector256.Create(-1.0 / 3.0);
        return (p * x2 * x) + x;
    }
}
