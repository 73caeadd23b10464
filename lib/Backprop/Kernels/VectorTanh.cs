using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.Kernels;

/// <summary>
/// z = tanh(a) for the batched forward pass: the kit's own formula, the same bits on every CPU.
/// </summary>
/// <remarks>
/// TensorPrimitives.Tanh is not deterministic enough: for doubles it sometimes returned Math.Tanh's value and sometimes
/// its vector formula's for the same input in the same place (the trigger was not found: not the array's alignment alone,
/// not tiered compilation alone), so the same weights gave hidden units differing in the last bit from one call to the next
/// and a quasi-Newton run took another path. Nor is Vector256.Exp: its multiply-adds are fused only where the CPU has FMA,
/// and without 256-bit vectors it is Math.Exp, so without AVX2 the lessons printed other numbers. tanh is therefore the
/// kit's own formula (<see cref="TanhOf(Vector256{double})"/>, its e^x <see cref="ExpOf(Vector256{double})"/>), applied to
/// groups of four values: in 256-bit vectors where the CPU has them, lane by lane with Math.FusedMultiplyAdd anywhere else
/// (<see cref="TanhOfGroup"/>), the same bits either way. CpuIndependenceTests and VectorTanhTests check all of it bit for bit.
/// </remarks>
internal static class VectorTanh
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

    /// <summary>tanh works on groups of this many consecutive values on every CPU (the lanes of one 256-bit vector).</summary>
    private const int Group = 4;

    /// <summary>The bits of 708.0: <see cref="ExpOf(Vector256{double})"/> serves |x| up to this, beyond it e^x is Math.Exp.</summary>
    private const ulong ExpLimitBits = 0x4086_2000_0000_0000;

    /// <summary>1.5·2⁵²: x + this rounds x to an integer (for |x| &lt; 2⁵¹), which the low bits of the sum then hold.</summary>
    private const double RoundingShift = 6755399441055744.0;

    private const double InverseLn2 = 1.4426950408889634;

    /// <summary>ln 2 = <see cref="Ln2Head"/> + <see cref="Ln2Tail"/>, the head with few enough bits that n · head is exact.</summary>
    private const double Ln2Head = 0.693359375;

    private const double Ln2Tail = -0.00021219444005469057;

    private const ulong ExponentBias = 1023;

    // e^r ≈ 1 + r + Σ_n En r^n, n = 2 … 11, on |r| ≤ ln 2 / 2: close to 1/n!, fitted (.NET's Vector256.Exp coefficients).
    // Constants rather than an array, so the JIT puts them in the code.
    private const double E2 = 0.5000000000000018;

    private const double E3 = 0.1666666666666617;

    private const double E4 = 0.04166666666649277;

    private const double E5 = 0.008333333333559272;

    private const double E6 = 0.001388888895122404;

    private const double E7 = 0.00019841269432677495;

    private const double E8 = 2.4801486521374483E-05;

    private const double E9 = 2.7557622532543023E-06;

    private const double E10 = 2.7632293298250954E-07;

    private const double E11 = 2.499430431958571E-08;

    /// <summary>
    /// z = tanh(a) element by element, in groups of four from a[0] (a short last group padded with zeros): with 256-bit
    /// vectors one group per <see cref="TanhOf(Vector256{double})"/>, anywhere else one group per
    /// <see cref="TanhOfGroup"/>, the same arithmetic one lane at a time.
    /// </summary>
    public static void Apply(ReadOnlySpan<double> a, Span<double> z)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double ar = ref MemoryMarshal.GetReference(a);
            ref double zr = ref MemoryMarshal.GetReference(z);
            for (; j + Group <= a.Length; j += Group)
            {
                TanhOf(Vector256.LoadUnsafe(ref ar, (nuint)j)).StoreUnsafe(ref zr, (nuint)j);
            }
        }
        else
        {
            for (; j + Group <= a.Length; j += Group)
            {
                TanhOfGroup(a.Slice(j, Group), z.Slice(j, Group));
            }
        }

        if (j < a.Length)
        {
            Span<double> last = stackalloc double[Group];
            last.Clear();
            a[j..].CopyTo(last);
            if (Vector256.IsHardwareAccelerated)
            {
                TanhOf(Vector256.Create((ReadOnlySpan<double>)last)).CopyTo(last);
            }
            else
            {
                TanhOfGroup(last, last);
            }

            last[..(a.Length - j)].CopyTo(z[j..]);
        }
    }

    /// <summary>
    /// tanh of four values: the Taylor series for |a| &lt; <see cref="SeriesLimit"/>, 1 − 2/(e^(2|a|) + 1) above,
    /// the sign of a put back (so tanh(−0) = −0 and NaN stays NaN). e^(2|a|) is <see cref="ExpOf(Vector256{double})"/>,
    /// unless some lane of the four has 2|a| beyond <see cref="ExpLimitBits"/> (or is NaN): then all four take Math.Exp,
    /// as Vector256.Exp did when the lessons' numbers were printed (their tanh is ±1 either way; the other lanes keep those
    /// bits). Math.Exp is the C library's, which is not the same on every CPU (see CpuIndependenceTests): only such groups use it.
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

    /// <summary>
    /// z = tanh(a) for one group of four (z may be a itself): lane by lane exactly the arithmetic of
    /// <see cref="TanhOf(Vector256{double})"/>, for CPUs without 256-bit vectors (SSE only, ARM64's 128-bit NEON, none).
    /// </summary>
    internal static void TanhOfGroup(ReadOnlySpan<double> a, Span<double> z)
    {
        bool libraryExp = false;
        for (int i = 0; i < Group; i++)
        {
            double abs = Math.Abs(a[i]);
            libraryExp |= BitConverter.DoubleToUInt64Bits(abs + abs) > ExpLimitBits;
        }

        for (int i = 0; i < Group; i++)
        {
            double ai = a[i];
            double abs = Math.Abs(ai);
            double t;
            if (abs < SeriesLimit)
            {
                t = TanhSeriesOf(abs);
            }
            else
            {
                double e = libraryExp ? Math.Exp(abs + abs) : ExpOf(abs + abs);
                t = 1.0 - (2.0 / (e + 1.0));
            }

            z[i] = Math.CopySign(t, ai);
        }
    }

    /// <summary>a + a·a²·P(a²) by Horner's rule, with P the series' coefficients after the first (multiply, then add).</summary>
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

    /// <summary>One lane of <see cref="TanhSeriesOf(Vector256{double})"/>.</summary>
    private static double TanhSeriesOf(double a)
    {
        ReadOnlySpan<double> c = TanhSeries;
        double a2 = a * a;
        double p = c[^1];
        for (int n = c.Length - 2; n >= 0; n--)
        {
            p = (p * a2) + c[n];
        }

        return a + (a * a2 * p);
    }

    /// <summary>1 − 2/(e^(2a) + 1) for a ≥ 0 (e^(2a) overflows to ∞ beyond a ≈ 355, giving exactly 1).</summary>
    private static Vector256<double> TanhExpOf(Vector256<double> a)
    {
        Vector256<double> twice = a + a;
        Vector256<double> e;
        if (Vector256.LessThanOrEqualAll(twice.AsUInt64(), Vector256.Create(ExpLimitBits)))
        {
            e = ExpOf(twice);
        }
        else
        {
            e = Vector256.Create(Math.Exp(twice[0]), Math.Exp(twice[1]), Math.Exp(twice[2]), Math.Exp(twice[3]));
        }

        return Vector256<double>.One - (Vector256.Create(2.0) / (e + Vector256<double>.One));
    }

    /// <summary>
    /// e^x for |x| ≤ 708: x = n ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, e^r by a degree-12 polynomial, times 2^n.
    /// Every multiply-add marked fused is one rounding on every CPU (Vector256.FusedMultiplyAdd is never split, unlike
    /// Vector256.Exp's MultiplyAddEstimate, which is fused only where the CPU has FMA): these are the steps and constants
    /// of .NET 10's Vector256.Exp (after AMD's AOCL libm) as it runs with FMA, so the lessons keep the bits they printed.
    /// </summary>
    internal static Vector256<double> ExpOf(Vector256<double> x)
    {
        // n: adding 1.5·2⁵² rounds x / ln 2 to an integer held in the low bits of the sum.
        Vector256<double> shifted = Vector256.FusedMultiplyAdd(x, Vector256.Create(InverseLn2), Vector256.Create(RoundingShift));
        Vector256<ulong> n = shifted.AsUInt64();
        Vector256<double> dn = shifted - Vector256.Create(RoundingShift);

        // r = x − n ln 2, with ln 2 in two parts so that n · Ln2Head is exact.
        Vector256<double> r = Vector256.FusedMultiplyAdd(dn, Vector256.Create(-Ln2Head), x);
        r = Vector256.FusedMultiplyAdd(dn, Vector256.Create(-Ln2Tail), r);
        Vector256<double> r2 = r * r;
        Vector256<double> r4 = r2 * r2;
        Vector256<double> r8 = r4 * r4;

        Vector256<double> high = Vector256.FusedMultiplyAdd(
            Vector256.FusedMultiplyAdd(Vector256.Create(E11), r, Vector256.Create(E10)),
            r2,
            Vector256.FusedMultiplyAdd(Vector256.Create(E9), r, Vector256.Create(E8)));
        Vector256<double> middle = Vector256.FusedMultiplyAdd(
            Vector256.FusedMultiplyAdd(Vector256.Create(E7), r, Vector256.Create(E6)),
            r2,
            Vector256.FusedMultiplyAdd(Vector256.Create(E5), r, Vector256.Create(E4)));
        Vector256<double> low = Vector256.FusedMultiplyAdd(
            Vector256.FusedMultiplyAdd(Vector256.Create(E3), r, Vector256.Create(E2)),
            r2,
            r + Vector256<double>.One);
        Vector256<double> poly = Vector256.FusedMultiplyAdd(high, r8, Vector256.FusedMultiplyAdd(middle, r4, low));

        // 2^n: n + 1023 in the exponent field (the bits of 1.5·2⁵² above it shift out).
        return poly * ((n + Vector256.Create(ExponentBias)) << 52).AsDouble();
    }

    /// <summary>One lane of <see cref="ExpOf(Vector256{double})"/>: the same operations, each fused one by Math.FusedMultiplyAdd.</summary>
    internal static double ExpOf(double x)
    {
        double shifted = Math.FusedMultiplyAdd(x, InverseLn2, RoundingShift);
        ulong n = BitConverter.DoubleToUInt64Bits(shifted);
        double dn = shifted - RoundingShift;

        double r = Math.FusedMultiplyAdd(dn, -Ln2Head, x);
        r = Math.FusedMultiplyAdd(dn, -Ln2Tail, r);
        double r2 = r * r;
        double r4 = r2 * r2;
        double r8 = r4 * r4;

        double high = Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(E11, r, E10), r2, Math.FusedMultiplyAdd(E9, r, E8));
        double middle = Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(E7, r, E6), r2, Math.FusedMultiplyAdd(E5, r, E4));
        double low = Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(E3, r, E2), r2, r + 1.0);
        double poly = Math.FusedMultiplyAdd(high, r8, Math.FusedMultiplyAdd(middle, r4, low));

        return poly * BitConverter.UInt64BitsToDouble((n + ExponentBias) << 52);
    }
}
