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
/// A seed must give the same numbers on every run and every machine, so nothing here may depend on how wide the
/// CPU's vectors are, nor on where in memory an array happens to start. Products and differences are exact per
/// element, so TensorPrimitives is safe for them. A reduction is not: TensorPrimitives.Sum adds in an order that
/// follows the vector width, so with AVX-512 a lesson printed other losses than its Markdown quoted; sums therefore run
/// in the plain loop's order (<see cref="Sum"/>). Nor is TensorPrimitives.Tanh: for doubles it sometimes returned
/// Math.Tanh's value and sometimes its vector formula's for the same input in the same place (the trigger was not found:
/// not the array's alignment alone, not tiered compilation alone), so the same weights gave hidden units differing in
/// the last bit from one call to the next and a quasi-Newton run took another path. tanh is therefore
/// <see cref="TanhOf(Vector256{double})"/>, one formula applied to every element in 256-bit vectors (a short tail is
/// padded to a full vector). CpuIndependenceTests and ElementwiseTests check all of it bit for bit.
/// </remarks>
internal static class Elementwise
{
    /// <summary>Below this |a| tanh is its Taylor series; above it 1 − 2/(e^(2|a|) + 1) is accurate (tanh(0.55) &gt; 1/2, so the subtraction is exact).</summary>
    private const double SeriesLimit = 0.55;

    /// <summary>
    /// The Taylor coefficients of tanh a = a + Σ_n c_n a^(2n+1), n = 1 … 18 (exact fractions in the comments, from sinh/cosh).
    /// At |a| = 0.55 the first term left out is below 0.05 of the last bit of tanh a.
    /// </summary>
    private static readonly double[] TanhSeries =
    [
        -0.3333333333333333, // -1/3
        0.13333333333333333, // 2/15
        -0.05396825396825397, // -17/315
        0.021869488536155203, // 62/2835
        -0.008863235529902197, // -1382/155925
        0.003592128036572481, // 21844/6081075
        -0.0014558343870513183, // -929569/638512875
        0.000590027440945586, // 6404582/10854718875
        -0.00023912911424355248, // -443861162/1856156927625
        9.691537956929451e-05, // 18888466084/194896477400625
        -3.927832388331683e-05, // -113927491862/2900518163668125
        1.5918905069328964e-05, // 58870668456604/3698160658676859375
        -6.451689215655431e-06, // -8374643517010684/1298054391195577640625
        2.6147711512907546e-06, // 689005380505609448/263505041412702261046875
        -1.0597268320104654e-06, // -129848163681107301953/122529844256906551386796875
        4.294911078273806e-07, // 1736640792209901647222/4043484860477916195764296875
        -1.7406618963571648e-07, // -418781231495293038913922/2405873491984360136479756640625
        7.054636946400968e-08, // 56518638202982204522669764/801155872830791925447758961328125
    ];

    /// <summary>z_j = h(a_j) for a whole batch: tanh vectorised (within 3 units in the last place of Math.Tanh), identity and the ReLU family exactly.</summary>
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

    /// <summary>z = tanh(a) element by element, every element by <see cref="TanhOf"/>: the same bits for a value wherever it sits.</summary>
    private static void Tanh(ReadOnlySpan<double> a, Span<double> z)
    {
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double zr = ref MemoryMarshal.GetReference(z);
        int j = 0;
        for (; j + 4 <= a.Length; j += 4)
        {
            TanhOf(Vector256.LoadUnsafe(ref ar, (nuint)j)).StoreUnsafe(ref zr, (nuint)j);
        }

        if (j < a.Length)
        {
            Span<double> last = stackalloc double[4];
            last.Clear();
            a[j..].CopyTo(last);
            TanhOf(Vector256.Create((ReadOnlySpan<double>)last)).CopyTo(last);
            last[..(a.Length - j)].CopyTo(z[j..]);
        }
    }

    /// <summary>
    /// tanh of four values: the Taylor series for |a| &lt; <see cref="SeriesLimit"/>, 1 − 2/(e^(2|a|) + 1) above,
    /// the sign of a put back (so tanh(−0) = −0 and NaN stays NaN). Each lane's formula depends on its value only.
    /// </summary>
    internal static Vector256<double> TanhOf(Vector256<double> a)
    {
        Vector256<double> abs = Vector256.Abs(a);
        Vector256<double> small = Vector256.LessThan(abs, Vector256.Create(SeriesLimit));
        Vector256<double> t;
        if (small == Vector256<double>.AllBitsSet)
        {
            t = TanhSeriesOf(abs);
        }
        else if (small == Vector256<double>.Zero)
        {
            t = TanhExpOf(abs);
        }
        else
        {
            t = Vector256.ConditionalSelect(small, TanhSeriesOf(abs), TanhExpOf(abs));
        }

        return Vector256.CopySign(t, a);
    }

    /// <summary>a + a·a²·P(a²) by Horner's rule, with P the series' coefficients after the first.</summary>
    private static Vector256<double> TanhSeriesOf(Vector256<double> a)
    {
        ReadOnlySpan<double> c = TanhSeries;
        Vector256<double> a2 = a * a;
        Vector256<double> p = Vector256.Create(c[^1]);
        for (int n = c.Length - 2; n >= 0; n--)
        {
            p = (p * a2) + Vector256.Create(c[n]);
        }

        return a + (a * a2 * p);
    }

    /// <summary>1 − 2/(e^(2a) + 1) for a ≥ 0 (e^(2a) overflows to ∞ beyond a ≈ 355, giving exactly 1).</summary>
    private static Vector256<double> TanhExpOf(Vector256<double> a) =>
        Vector256<double>.One - (Vector256.Create(2.0) / (Vector256.Exp(a + a) + Vector256<double>.One));
}
