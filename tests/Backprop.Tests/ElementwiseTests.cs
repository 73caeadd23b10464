using System.Globalization;
using System.Runtime.Intrinsics;
using Backprop.Kernels;

namespace Backprop.Tests;

/// <summary>
/// The batched tanh behind every tanh layer: as accurate as Math.Tanh to a few units in the last place, right at
/// the special values, and — what a seed needs — the same bits for a value wherever it sits: at any index of a span
/// of any length, whatever the addresses of input and output. (TensorPrimitives.Tanh, used before, gave the same
/// inputs other last bits from one call to the next, and a quasi-Newton run from a fixed seed took another path.)
/// </summary>
public sealed class ElementwiseTests
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
        Elementwise.Value(Activation.Tanh, a, z);

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
        Elementwise.Value(Activation.Tanh, [a], z);

        Assert.Equal(expected, z[0]);
    }

    [Fact]
    public void Tanh_keeps_the_sign_of_zero()
    {
        double[] z = new double[2];
        Elementwise.Value(Activation.Tanh, [-0.0, 0.0], z);

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
            long alone = BitConverter.DoubleToInt64Bits(Elementwise.TanhOf(Vector256.Create(value))[0]);
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
                    Elementwise.Value(Activation.Tanh, a.AsSpan(shift, length), z.AsSpan(zShift, length));

                    Assert.True(
                        BitConverter.DoubleToInt64Bits(z[zShift + index]) == alone,
                        string.Create(CultureInfo.InvariantCulture, $"tanh({value:R}) at index {index} of {length} (offsets {shift}, {zShift}) is {z[zShift + index]:R}, alone it is {BitConverter.Int64BitsToDouble(alone):R}."));
                }
            }
        }
    }

    [Fact]
    public void Tanh_writes_only_its_destination()
    {
        double[] z = Enumerable.Repeat(7.0, 12).ToArray();
        Elementwise.Value(Activation.Tanh, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], z.AsSpan(2, 7));

        Assert.Equal([7.0, 7.0], z[..2]);
        Assert.Equal([7.0, 7.0, 7.0], z[9..]);
        Assert.Equal(Math.Tanh(0.7), z[8], 15);
    }
}
