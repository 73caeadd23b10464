using System.Text.RegularExpressions;

namespace Backprop.Tests;

/// <summary>
/// Each activation owns all its forms: the batched forms the fast passes call agree with the scalar ones, and the
/// properties the lessons read (odd symmetry, the formulas) tell the truth about the function.
/// </summary>
public sealed class ActivationFormsTests
{
    public static TheoryData<string> AllActivations() => [.. TestSupport.AllActivationNames];

    private static double[] Grid() => [.. Enumerable.Range(-160, 321).Select(i => i / 8.0), 1e-300, -1e-300, 0.0, -0.0, 700.0, -700.0];

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void BatchValue_is_the_scalar_value_bit_for_bit_except_tanh_which_is_within_three_ulp(string name)
    {
        Activation h = TestSupport.ActivationByName(name);
        double[] a = Grid();
        var z = new double[a.Length];
        h.BatchValue(a, z);
        for (int j = 0; j < a.Length; j++)
        {
            double expected = h.Value(a[j]);
            if (h.Kind == ActivationKind.Tanh)
            {
                long ulps = Math.Abs(BitConverter.DoubleToInt64Bits(z[j]) - BitConverter.DoubleToInt64Bits(expected));
                Assert.True(ulps <= 3, $"tanh({a[j]:R}): batch {z[j]:R}, scalar {expected:R}, {ulps} units in the last place apart");
            }
            else
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(z[j]));
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void BatchDerivativeFromOutput_is_the_checked_scalar_form_bit_for_bit(string name)
    {
        Activation h = TestSupport.ActivationByName(name);
        double[] y = [.. Grid().Select(h.Value)];
        var d = new double[y.Length];
        h.BatchDerivativeFromOutput(y, d);
        for (int j = 0; j < y.Length; j++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(h.DerivativeFromOutput(y[j])), BitConverter.DoubleToInt64Bits(d[j]));
        }
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void IsOdd_exactly_when_h_of_minus_a_is_minus_h_of_a_everywhere(string name)
    {
        Activation h = TestSupport.ActivationByName(name);
        bool odd = Grid().All(a => h.Value(-a) == -h.Value(a));
        Assert.Equal(odd, h.IsOdd);
    }

    [Fact]
    public void Leaky_ReLU_with_slope_one_is_the_identity_hence_odd()
    {
        Assert.True(Activation.LeakyReLU(1.0).IsOdd);
        Assert.False(Activation.LeakyReLU(0.99).IsOdd);
        Assert.False(Activation.ReLU.IsOdd);
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void Formulas_write_the_parameter_in_and_name_no_unset_k(string name)
    {
        Activation h = TestSupport.ActivationByName(name);
        Assert.NotEmpty(h.Formula);
        Assert.NotEmpty(h.DerivativeFormula);
        Assert.DoesNotMatch(new Regex(@"\bk\b"), h.Formula);
        if (h.K is double k && k != 0.0)
        {
            Assert.Contains(k.ToString("G", System.Globalization.CultureInfo.InvariantCulture), h.DerivativeFormula, StringComparison.Ordinal);
        }
    }
}
