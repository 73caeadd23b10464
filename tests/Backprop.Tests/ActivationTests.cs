namespace Backprop.Tests;

/// <summary>
/// The activation functions of the lecture: h, h' and h' through the output y = h(a) (the form
/// the backward pass calls), their maximum slopes, and their behaviour for huge |a|.
/// </summary>
public sealed class ActivationTests
{
    public static TheoryData<string> AllActivations() => [.. TestSupport.AllActivationNames];

    /// <summary>−40 … 40 in steps of 1/8, plus points near 0 and far into saturation.</summary>
    private static IEnumerable<double> Grid()
    {
        for (int i = -320; i <= 320; i++)
        {
            yield return i / 8.0;
        }

        foreach (double a in new[] { 1e-3, 3e-4, 0.0123, 55.5, 80.0, 123.4, 300.0, 700.0 })
        {
            yield return a;
            yield return -a;
        }
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void DerivativeMatchesCentralDifferenceIncludingSaturation(string name)
    {
        Activation h = TestSupport.ActivationByName(name);
        const double step = 1e-5;
        foreach (double a in Grid())
        {
            // A finite difference across a kink (ReLU family at a = 0) is meaningless: skip |a| ≤ step there.
            if (h.IsRectifier && Math.Abs(a) <= step)
            {
                continue;
            }

            double numeric = (h.Value(a + step) - h.Value(a - step)) / (2.0 * step);
            double analytic = h.Derivative(a);

            // Relative 1e-7 where h' is sizeable; an absolute 1e-9 where h' underflows or is tiny
            // (σ'(40) ≈ 4e-18 is below the rounding noise of the difference quotient, ~1e-11 · |h(a)|).
            double tolerance = 1e-9 + (1e-7 * Math.Abs(analytic));
            Assert.True(
                Math.Abs(numeric - analytic) <= tolerance,
                FormattableString.Invariant($"{h.Name}: h'({a}) = {analytic:R} but the central difference gives {numeric:R}"));
        }
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void DerivativeIsRelativelyAccurateWhereItIsNotSaturated(string name)
    {
        // Tighter than the grid test: on |a| ≤ 4 the derivative must be right to 1e-8 relative,
        // compared with a central difference of step 1e-4 (error ~1e-9 · |h'''|).
        Activation h = TestSupport.ActivationByName(name);
        for (double a = -4.0; a <= 4.0; a += 0.0625)
        {
            if (h.IsRectifier && Math.Abs(a) < 1e-3)
            {
                continue;
            }

            double numeric = (h.Value(a + 1e-4) - h.Value(a - 1e-4)) / 2e-4;
            TestSupport.AssertRelative(numeric, h.Derivative(a), 1e-7, FormattableString.Invariant($"{h.Name}: h'({a})"));
        }
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void DerivativeFromOutputAgreesWithDerivative(string name)
    {
        Activation h = TestSupport.ActivationByName(name);
        foreach (double a in Grid().Append(0.0))
        {
            double y = h.Value(a);
            double fromOutput = h.DerivativeFromOutput(y);
            double direct = h.Derivative(a);

            // ELU: y + k = k(e^a − 1) + k rounds differently from k·e^a, by at most a few ulp of k.
            double tolerance = h.Kind == ActivationKind.Elu ? 4.0 * (Math.BitIncrement(h.K!.Value) - h.K!.Value) : 0.0;
            Assert.True(
                Math.Abs(fromOutput - direct) <= tolerance,
                FormattableString.Invariant($"{h.Name} at a = {a}: h'(a) = {direct:R} but h' from y = h(a) = {y:R} is {fromOutput:R}"));
        }
    }

    [Fact]
    public void DerivativeFromOutputIsTheLectureFormula()
    {
        // σ' = y(1 − y), tanh' = 1 − y², ReLU/leaky from the sign of y, ELU' = y + k for y ≤ 0.
        Assert.Equal(0.3 * 0.7, Activation.Logistic.DerivativeFromOutput(0.3));
        Assert.Equal(1.0 - (0.6 * 0.6), Activation.Tanh.DerivativeFromOutput(0.6));
        Assert.Equal(1.0, Activation.ReLU.DerivativeFromOutput(2.5));
        Assert.Equal(0.0, Activation.ReLU.DerivativeFromOutput(0.0));
        Assert.Equal(0.3, Activation.LeakyReLU(0.3).DerivativeFromOutput(-0.9));
        Assert.Equal(1.0, Activation.LeakyReLU(0.3).DerivativeFromOutput(0.9));
        Assert.Equal(-0.4 + 2.0, Activation.Elu(2.0).DerivativeFromOutput(-0.4));
        Assert.Equal(1.0, Activation.Elu(2.0).DerivativeFromOutput(0.4));
        Assert.Equal(1.0, Activation.Identity.DerivativeFromOutput(-17.0));
    }

    [Fact]
    public void ValuesAreTheLectureFunctions()
    {
        Assert.Equal(1.0 / (1.0 + Math.Exp(-0.7)), Activation.Logistic.Value(0.7), 15);
        Assert.Equal(Math.Exp(-3.0) / (1.0 + Math.Exp(-3.0)), Activation.Logistic.Value(-3.0), 15);
        Assert.Equal(0.5, Activation.Logistic.Value(0.0));
        Assert.Equal((Math.Exp(0.8) - Math.Exp(-0.8)) / (Math.Exp(0.8) + Math.Exp(-0.8)), Activation.Tanh.Value(0.8), 15);
        Assert.Equal(0.0, Activation.ReLU.Value(-2.0));
        Assert.Equal(2.0, Activation.ReLU.Value(2.0));
        Assert.Equal(-0.02, Activation.LeakyReLU(0.01).Value(-2.0), 15);
        Assert.Equal(-0.6, Activation.LeakyReLU(0.3).Value(-2.0), 15);
        Assert.Equal(3.0, Activation.LeakyReLU(0.3).Value(3.0));
        Assert.Equal(0.5 * (Math.Exp(-1.5) - 1.0), Activation.Elu(0.5).Value(-1.5), 15);
        Assert.Equal(1.5, Activation.Elu(0.5).Value(1.5));
        Assert.Equal(-4.25, Activation.Identity.Value(-4.25));
    }

    [Theory]
    [InlineData(-1e-10)]
    [InlineData(-3e-7)]
    [InlineData(-1e-4)]
    [InlineData(-0.01)]
    [InlineData(-1e-300)]
    public void EluKeepsRelativeAccuracyForSmallNegativeInputs(double a)
    {
        // k(e^a − 1) for tiny |a|: e^a − 1 = a + a²/2 + a³/6 + …; a naive Math.Exp(a) − 1 is only
        // accurate to ~1e-16 absolute, i.e. 1e-6 relative at a = −1e-10.
        double expected = 0.0, term = 1.0;
        for (int n = 1; n <= 12; n++)
        {
            term *= a / n;                 // a^n / n!
            expected += term;
        }

        foreach (double k in new[] { 0.5, 1.0, 2.0 })
        {
            TestSupport.AssertRelative(k * expected, Activation.Elu(k).Value(a), 1e-15, FormattableString.Invariant($"ELU (k = {k}) at a = {a}"));
        }
    }

    [Fact]
    public void DefaultsOfTheFactoryMethods()
    {
        Assert.Equal(0.01, Activation.LeakyReLU().K);
        Assert.Equal(1.0, Activation.Elu().K);
        Assert.Null(Activation.ReLU.K);
        Assert.Null(Activation.Tanh.K);
        Assert.Equal(ActivationKind.LeakyReLU, Activation.LeakyReLU(0.0).Kind);
        Assert.Equal(0.0, Activation.LeakyReLU(0.0).Value(-5.0));
        Assert.Equal(1.0, Activation.LeakyReLU(1.0).Value(1.0) - Activation.LeakyReLU(1.0).Value(0.0));
    }

    [Fact]
    public void TanhIsTwiceTheLogisticOfTwiceAMinusOne()
    {
        // tanh(a) = 2σ(2a) − 1, the lecture's identity.
        for (double a = -25.0; a <= 25.0; a += 0.01)
        {
            double viaLogistic = (2.0 * Activation.Logistic.Value(2.0 * a)) - 1.0;
            Assert.True(Math.Abs(Activation.Tanh.Value(a) - viaLogistic) <= 1e-15, FormattableString.Invariant($"a = {a}"));
        }
    }

    [Theory]
    [InlineData("logistic", 0.25)]
    [InlineData("tanh", 1.0)]
    [InlineData("relu", 1.0)]
    [InlineData("leaky0.01", 1.0)]
    [InlineData("leaky0.3", 1.0)]
    [InlineData("elu0.5", 1.0)]
    [InlineData("elu1", 1.0)]
    [InlineData("elu2", 2.0)]
    [InlineData("identity", 1.0)]
    public void MaxDerivativeIsTheLectureValueAndBoundsEverySample(string name, double expected)
    {
        Activation h = TestSupport.ActivationByName(name);
        Assert.Equal(expected, h.MaxDerivative);

        double largest = 0.0;
        for (double a = -20.0; a <= 20.0; a += 1.0 / 1024.0)
        {
            double d = Math.Abs(h.Derivative(a));
            Assert.True(d <= h.MaxDerivative, FormattableString.Invariant($"|h'({a})| = {d} exceeds MaxDerivative {h.MaxDerivative}"));
            largest = Math.Max(largest, d);
        }

        // ... and the bound is attained (or approached, for ELU with k > 1 as a → 0⁻).
        Assert.True(largest >= 0.99 * h.MaxDerivative, $"largest sampled |h'| {largest} is far below MaxDerivative {h.MaxDerivative}");
    }

    [Fact]
    public void HugeInputsGiveExactFiniteResults()
    {
        Assert.Equal(1.0, Activation.Logistic.Value(800.0));
        Assert.Equal(0.0, Activation.Logistic.Value(-800.0));
        Assert.Equal(1.0, Activation.Tanh.Value(800.0));
        Assert.Equal(-1.0, Activation.Tanh.Value(-800.0));
        Assert.Equal(0.0, Activation.Logistic.Derivative(800.0));
        Assert.Equal(0.0, Activation.Logistic.Derivative(-800.0));
        Assert.Equal(0.0, Activation.Tanh.Derivative(800.0));
        Assert.Equal(0.0, Activation.Tanh.Derivative(-800.0));
        Assert.Equal(800.0, Activation.ReLU.Value(800.0));
        Assert.Equal(0.0, Activation.ReLU.Value(-800.0));
        Assert.Equal(-8.0, Activation.LeakyReLU(0.01).Value(-800.0), 12);
        Assert.Equal(-2.0, Activation.Elu(2.0).Value(-800.0));
        Assert.Equal(0.0, Activation.Elu(2.0).Derivative(-800.0));
        Assert.Equal(0.0, Activation.Elu(2.0).DerivativeFromOutput(Activation.Elu(2.0).Value(-800.0)));
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void NoFiniteInputGivesNaN(string name)
    {
        Activation h = TestSupport.ActivationByName(name);
        double[] specials =
        [
            0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-310, -1e-310, 1e-300, -1e-300, 709.0, -709.0, 710.0, -710.0,
            745.0, -745.0, 800.0, -800.0, 1e300, -1e300, double.MaxValue, -double.MaxValue,
        ];
        foreach (double a in specials.Concat(Grid()))
        {
            double y = h.Value(a);
            Assert.False(double.IsNaN(y), FormattableString.Invariant($"{h.Name}: h({a}) is NaN"));
            Assert.True(double.IsFinite(y), FormattableString.Invariant($"{h.Name}: h({a}) = {y}"));
            Assert.True(double.IsFinite(h.Derivative(a)), FormattableString.Invariant($"{h.Name}: h'({a}) = {h.Derivative(a)}"));
            Assert.True(double.IsFinite(h.DerivativeFromOutput(y)), FormattableString.Invariant($"{h.Name}: h' from y({a}) = {h.DerivativeFromOutput(y)}"));
            Assert.True(h.DerivativeFromOutput(y) >= 0.0, FormattableString.Invariant($"{h.Name}: h' from y({a}) is negative"));
        }
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void SpanOverloadsApplyTheScalarFunctions(string name)
    {
        Activation h = TestSupport.ActivationByName(name);
        double[] a = [.. Grid()];
        var z = new double[a.Length];
        var d = new double[a.Length];
        h.Value(a, z);
        h.DerivativeFromOutput(z, d);
        for (int j = 0; j < a.Length; j++)
        {
            Assert.Equal(h.Value(a[j]), z[j]);
            Assert.Equal(h.DerivativeFromOutput(z[j]), d[j]);
        }
    }

    [Fact]
    public void NamesFamiliesAndFlags()
    {
        Assert.Equal("logistic", Activation.Logistic.Name);
        Assert.Equal("tanh", Activation.Tanh.Name);
        Assert.Equal("ReLU", Activation.ReLU.Name);
        Assert.Equal("identity", Activation.Identity.Name);
        Assert.Equal("leaky ReLU (k = 0.01)", Activation.LeakyReLU(0.01).Name);
        Assert.Equal("ELU (k = 0.5)", Activation.Elu(0.5).Name);
        Assert.Equal("tanh", Activation.Tanh.ToString());
        Assert.True(Activation.Logistic.IsSigmoidal && Activation.Tanh.IsSigmoidal);
        Assert.False(Activation.ReLU.IsSigmoidal || Activation.Identity.IsSigmoidal);
        Assert.True(Activation.ReLU.IsRectifier && Activation.LeakyReLU().IsRectifier && Activation.Elu().IsRectifier);
        Assert.False(Activation.Tanh.IsRectifier || Activation.Identity.IsRectifier);
        Assert.Equal(ActivationKind.ReLU, Activation.ReLU.Kind);
        Assert.Equal(ActivationKind.Elu, Activation.Elu(2.0).Kind);
    }
}
