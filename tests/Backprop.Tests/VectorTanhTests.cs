using System.Globalization;
using System.Runtime.Intrinsics;
using Backprop.Kernels;

namespace Backprop.Tests;

/// <summary>
/// The batched tanh behind every tanh layer: as accurate as Math.Tanh to a few units in the last place, right at
/// the special values, and — what a seed needs — the same bits for a value wherever it sits: at any index of a span
/// of any length, whatever the addresses of input and output (unless a value beyond ±354 shares its group of four, which
/// then takes Math.Exp, as Vector256.Exp did), and on every CPU: the vector and the lane-by-lane code agree bit for bit.
/// (TensorPrimitives.Tanh, used before, gave the same inputs other last bits from one call to the next, and a
/// quasi-Newton run from a fixed seed took another path.)
/// </summary>
public sealed class VectorTanhTests
{
    [Theory]
    [InlineData(1e-300, 1e-10)]
    [InlineData(1e-10, 1e-3)]
    [InlineData(1e-3, 0.1)]
    [InlineData(0.1, 0.55)]
    [InlineData(0.55, 2.0)]
    [InlineData(2.0, 20.0)]
    [InlineData(20.0, 800.0)]
    public void Tanh_is_within_three_units_in_the_last_place_of_Math_Tanh(double low, double high)
    {
        var rng = new Random(3);
        double[] a = new double[20_000];
        for (int i = 0; i < a.Length; i++)
        {
            double magnitude = Math.Exp(Math.Log(low) + (rng.NextDouble() * (Math.Log(high) - Math.Log(low))));
            a[i] = rng.Next(2) == 0 ? -magnitude : magnitude;
        }

        double[] z = new double[a.Length];
        Activation.Tanh.BatchValue(a, z);

        long worst = 0;
        double worstAt = 0.0;
        for (int i = 0; i < a.Length; i++)
        {
            long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(z[i]) - BitConverter.DoubleToInt64Bits(Math.Tanh(a[i])));
            if (ulps > worst)
            {
                (worst, worstAt) = (ulps, a[i]);
            }
        }

        Assert.True(worst <= 3, string.Create(CultureInfo.InvariantCulture, $"tanh({worstAt:R}) is {worst} units in the last place from Math.Tanh."));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    [InlineData(double.NegativeInfinity, -1.0)]
    [InlineData(double.Epsilon, double.Epsilon)]
    [InlineData(-1e-320, -1e-320)]
    [InlineData(354.0, 1.0)]
    [InlineData(710.0, 1.0)]
    [InlineData(-1e308, -1.0)]
    [InlineData(double.NaN, double.NaN)]
    public void Tanh_of_special_values(double a, double expected)
    {
        double[] z = new double[1];
        Activation.Tanh.BatchValue([a], z);

        Assert.Equal(expected, z[0]);
    }

    [Fact]
    public void Tanh_keeps_the_sign_of_zero()
    {
        double[] z = new double[2];
        Activation.Tanh.BatchValue([-0.0, 0.0], z);

        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(z[0]));
        Assert.Equal(0L, BitConverter.DoubleToInt64Bits(z[1]));
    }

    [Fact]
    public void Tanh_gives_a_value_the_same_bits_at_every_index_length_and_address()
    {
        var rng = new Random(5);
        // Small, middling and saturated values, on both sides of the switch between the two formulas.
        double[] values = [.. Enumerable.Range(0, 64).Select(i => (rng.NextDouble() - 0.5) * 2 * Math.Pow(10, (i % 5) - 3)), 0.55, -0.55, 0.5499999999999999, -0.20198968443349052, -2.3527046652941186];
        foreach (double value in values)
        {
            long alone = BitConverter.DoubleToInt64Bits(VectorTanh.TanhOf(Vector256.Create(value))[0]);
            foreach (int length in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 33, 800 })
            {
                for (int shift = 0; shift < 8; shift++)
                {
                    // The value at a random index among random neighbours, input and output at independent offsets.
                    double[] a = new double[length + 8];
                    double[] z = new double[length + 8];
                    for (int i = 0; i < a.Length; i++)
                    {
                        a[i] = (rng.NextDouble() - 0.5) * 8;
                    }

                    int index = rng.Next(length);
                    int zShift = (shift * 3) % 8;
                    a[shift + index] = value;
                    Activation.Tanh.BatchValue(a.AsSpan(shift, length), z.AsSpan(zShift, length));

                    Assert.True(
                        BitConverter.DoubleToInt64Bits(z[zShift + index]) == alone,
                        string.Create(CultureInfo.InvariantCulture, $"tanh({value:R}) at index {index} of {length} (offsets {shift}, {zShift}) is {z[zShift + index]:R}, alone it is {BitConverter.Int64BitsToDouble(alone):R}."));
                }
            }
        }
    }

    /// <summary>
    /// The same bits on every CPU: the 256-bit vector tanh this machine runs against the lane-by-lane code of a CPU
    /// without 256-bit vectors, group by group, on groups mixing the series and the exponential, saturated values, values
    /// beyond the exponential's range (which send their whole group to Math.Exp), ±0, ±∞ and NaN. A path that rounded a
    /// multiply-add differently, summed in another order or grouped the lanes otherwise differs here.
    /// </summary>
    [Fact]
    public void Vector_and_lane_by_lane_tanh_give_the_same_bits()
    {
        var rng = new Random(17);
        double[] special = [0.0, -0.0, 0.55, -0.55, 0.5499999999999999, 354.0, 354.00000000000006, 400.0, -1e300, double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.Epsilon];
        double Draw() => rng.Next(8) switch
        {
            0 => special[rng.Next(special.Length)],
            1 => (rng.NextDouble() - 0.5) * 1.1,                                       // the series
            2 => (rng.NextDouble() - 0.5) * 1000,                                      // up to beyond the exponential's range
            _ => (rng.NextDouble() - 0.5) * 2 * Math.Pow(10, rng.Next(-3, 3)),
        };

        int bigGroups = 0;
        for (int trial = 0; trial < 100_000; trial++)
        {
            double[] group = [Draw(), Draw(), Draw(), Draw()];
            Vector256<double> wide = VectorTanh.TanhOf(Vector256.Create(group));
            double[] narrow = new double[4];
            VectorTanh.TanhOfGroup(group, narrow);
            bigGroups += group.Any(x => Math.Abs(x) > 354 || double.IsNaN(x)) && group.Any(x => Math.Abs(x) is >= 0.55 and < 354) ? 1 : 0;
            for (int lane = 0; lane < 4; lane++)
            {
                Assert.True(
                    BitConverter.DoubleToInt64Bits(wide[lane]) == BitConverter.DoubleToInt64Bits(narrow[lane]),
                    string.Create(CultureInfo.InvariantCulture, $"tanh of lane {lane} of ({string.Join(", ", group.Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}): vector {wide[lane]:R}, lane by lane {narrow[lane]:R}."));
            }
        }

        Assert.True(bigGroups > 1000, $"only {bigGroups} groups mixed a value beyond e^x's range with one that uses e^x");
    }

    /// <summary>The kit's e^x, in vectors and lane by lane, bit for bit on |x| ≤ 708 (every binade, both signs).</summary>
    [Fact]
    public void Vector_and_lane_by_lane_exp_give_the_same_bits()
    {
        foreach (double x in ExpArguments())
        {
            double wide = VectorTanh.ExpOf(Vector256.Create(x))[0];
            double narrow = VectorTanh.ExpOf(x);
            Assert.True(
                BitConverter.DoubleToInt64Bits(wide) == BitConverter.DoubleToInt64Bits(narrow),
                string.Create(CultureInfo.InvariantCulture, $"e^{x:R}: vector {wide:R}, lane by lane {narrow:R}."));
        }
    }

    /// <summary>
    /// The kit's e^x is what Vector256.Exp computed, with FMA, when the lessons' numbers were printed, so they keep their
    /// bits; and it stays within 2 units in the last place of Math.Exp. (On a CPU without AVX2 and FMA, Vector256.Exp is
    /// another formula: only the accuracy is checked there.)
    /// </summary>
    [Fact]
    public void Exp_is_the_bits_Vector256_Exp_gives_with_FMA_and_within_two_units_of_Math_Exp()
    {
        bool sameHardware = Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported;
        long worst = 0;
        double worstAt = 0.0;
        foreach (double x in ExpArguments())
        {
            double kit = VectorTanh.ExpOf(x);
            if (sameHardware)
            {
                double dotnet = Vector256.Exp(Vector256.Create(x))[0];
                Assert.True(
                    BitConverter.DoubleToInt64Bits(kit) == BitConverter.DoubleToInt64Bits(dotnet),
                    string.Create(CultureInfo.InvariantCulture, $"e^{x:R}: the kit {kit:R}, Vector256.Exp {dotnet:R}."));
            }

            long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(kit) - BitConverter.DoubleToInt64Bits(Math.Exp(x)));
            if (ulps > worst)
            {
                (worst, worstAt) = (ulps, x);
            }
        }

        Assert.True(worst <= 2, string.Create(CultureInfo.InvariantCulture, $"e^{worstAt:R} is {worst} units in the last place from Math.Exp."));
    }

    private static IEnumerable<double> ExpArguments()
    {
        var rng = new Random(23);
        yield return 0.0;
        yield return -0.0;
        yield return 708.0;
        yield return -708.0;
        for (int i = 0; i < 200_000; i++)
        {
            double magnitude = Math.Exp(Math.Log(1e-20) + (rng.NextDouble() * (Math.Log(708.0) - Math.Log(1e-20))));
            yield return rng.Next(2) == 0 ? -magnitude : magnitude;
        }
    }

    [Fact]
    public void Tanh_writes_only_its_destination()
    {
        double[] z = Enumerable.Repeat(7.0, 12).ToArray();
        Activation.Tanh.BatchValue([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], z.AsSpan(2, 7));

        Assert.Equal([7.0, 7.0], z[..2]);
        Assert.Equal([7.0, 7.0, 7.0], z[9..]);
        Assert.Equal(Math.Tanh(0.7), z[8], 15);
    }
}
