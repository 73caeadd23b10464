using Backprop.Tests;

namespace Backprop.Lessons.Tests;

public sealed class PowerLawTests
{
    [Theory]
    [InlineData(3.0, 2.5)]
    [InlineData(0.01, 1.0)]
    [InlineData(7.0, -1.0)]
    [InlineData(2e-9, 2.0)]
    public void Recovers_the_exponent_and_factor_of_an_exact_power_law(double c, double p)
    {
        double[] x = [1, 2, 5, 10, 50, 100, 1000];
        double[] y = [.. x.Select(v => c * Math.Pow(v, p))];

        PowerLawFit fit = PowerLaw.Fit(x, y);

        Assert.Equal(p, fit.Slope, 1e-12);
        TestSupport.AssertRelative(c, fit.Coefficient, 1e-12, "c");
        Assert.Equal(p, PowerLaw.FitSlope(x, y), 1e-12);
        TestSupport.AssertRelative(y[3], fit.Evaluate(x[3]), 1e-12, "c·x^p");
    }

    [Fact]
    public void Is_the_least_squares_line_through_noisy_logarithms()
    {
        // ln y = ln x ± ln 2 alternately (x = 1, 10, 100, 1000): with u − ū = (−1.5, −0.5, 0.5, 1.5)·ln 10 the
        // least-squares slope is 1 + Σ(u − ū)(±ln 2) / Σ(u − ū)² = 1 − 2 ln 2 / (5 ln 10) = 1 − 0.4·log₁₀ 2.
        double[] x = [1, 10, 100, 1000];
        double[] y = [.. x.Select((v, n) => v * (n % 2 == 0 ? 2.0 : 0.5))];
        PowerLawFit fit = PowerLaw.Fit(x, y);
        Assert.Equal(1 - (0.4 * Math.Log10(2)), fit.Slope, 1e-12);
        Assert.NotEqual(1.0, fit.Slope);
    }

    [Fact]
    public void ToString_shows_the_law()
    {
        Assert.Equal("y ≈ 3·x^2.50", new PowerLawFit(2.5, 3).ToString());
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        TestSupport.AssertThrows<ArgumentException>(() => PowerLaw.Fit([1.0, 2.0, 3.0], [1.0, 2.0]), "ys", "3 values", "has 2");
        TestSupport.AssertThrows<ArgumentException>(() => PowerLaw.Fit([1.0], [1.0]), "at least 2 points");
        TestSupport.AssertThrows<ArgumentException>(() => PowerLaw.Fit([1.0, 0.0], [1.0, 2.0]), "xs[1]", "> 0");
        TestSupport.AssertThrows<ArgumentException>(() => PowerLaw.Fit([1.0, -2.0], [1.0, 2.0]), "xs[1]");
        TestSupport.AssertThrows<ArgumentException>(() => PowerLaw.Fit([1.0, 2.0], [1.0, -2.0]), "ys[1]");
        TestSupport.AssertThrows<ArgumentException>(() => PowerLaw.Fit([1.0, 2.0], [double.NaN, 2.0]), "ys[0]");
        TestSupport.AssertThrows<ArgumentException>(() => PowerLaw.Fit([1.0, double.PositiveInfinity], [1.0, 2.0]), "xs[1]");
        TestSupport.AssertThrows<ArgumentException>(() => PowerLaw.Fit([4.0, 4.0, 4.0], [1.0, 2.0, 3.0]), "xs", "two different values");
        Assert.Throws<ArgumentNullException>(() => PowerLaw.Fit(null!, [1.0]));
    }
}
