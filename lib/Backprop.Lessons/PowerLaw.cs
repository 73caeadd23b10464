using System.Globalization;

namespace Backprop.Lessons;

/// <summary>
/// A straight line through points on log-log axes: log y = log c + p·log x, i.e. y ≈ c·x^p.
/// </summary>
/// <param name="Slope">The exponent p (the slope on log-log axes).</param>
/// <param name="Coefficient">The factor c, so that y ≈ c·x^p.</param>
public sealed record PowerLawFit(double Slope, double Coefficient)
{
    /// <summary>The fitted c·x^p at x.</summary>
    public double Evaluate(double x) => Coefficient * Math.Pow(x, Slope);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"y ≈ {Coefficient:G3}·x^{Slope:F2}");
}

/// <summary>
/// Fits power laws y ≈ c·x^p by least squares on logarithms. Lesson 06 uses it for the order of a
/// finite difference (lecture: "Verifying Correctness", (L(w + ε) − L(w − ε)) / 2ε + O(ε²): error ∝ ε²
/// for central, ∝ ε for forward differences) and for the cost of a gradient ("Efficiency":
/// backpropagation O(|W|), numerical differentiation O(|W|²)).
/// </summary>
public static class PowerLaw
{
    /// <summary>
    /// The least-squares slope p of log y against log x: p = Σ (u − ū)(v − v̄) / Σ (u − ū)² with
    /// u = log x, v = log y. The base of the logarithm does not matter.
    /// </summary>
    /// <param name="xs">Positive, finite x values, at least two of them distinct.</param>
    /// <param name="ys">Positive, finite y values, one per x.</param>
    /// <exception cref="ArgumentException">The lists differ in length, have fewer than two points, hold a value that is not positive and finite, or all x are equal.</exception>
    public static double FitSlope(IReadOnlyList<double> xs, IReadOnlyList<double> ys) => Fit(xs, ys).Slope;

    /// <summary>The least-squares fit of log y = log c + p·log x; see <see cref="FitSlope"/>.</summary>
    /// <param name="xs">Positive, finite x values, at least two of them distinct.</param>
    /// <param name="ys">Positive, finite y values, one per x.</param>
    /// <exception cref="ArgumentException">As for <see cref="FitSlope"/>.</exception>
    public static PowerLawFit Fit(IReadOnlyList<double> xs, IReadOnlyList<double> ys)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        if (xs.Count != ys.Count)
        {
            throw new ArgumentException($"ys must have one value per x: expected {xs.Count} values, but it has {ys.Count}.", nameof(ys));
        }

        if (xs.Count < 2)
        {
            throw new ArgumentException($"A power-law fit needs at least 2 points, but xs has {xs.Count}.", nameof(xs));
        }

        double[] u = Logs(xs, nameof(xs));
        double[] v = Logs(ys, nameof(ys));
        double uMean = u.Average();
        double vMean = v.Average();
        double covariance = 0.0, variance = 0.0;
        for (int n = 0; n < u.Length; n++)
        {
            covariance += (u[n] - uMean) * (v[n] - vMean);
            variance += (u[n] - uMean) * (u[n] - uMean);
        }

        if (variance == 0.0)
        {
            throw new ArgumentException($"xs must hold at least two different values to fit a slope, but every x is {Arguments.Describe(xs[0])}.", nameof(xs));
        }

        double slope = covariance / variance;
        return new PowerLawFit(slope, Math.Exp(vMean - (slope * uMean)));
    }

    private static double[] Logs(IReadOnlyList<double> values, string name)
    {
        var logs = new double[values.Count];
        for (int n = 0; n < logs.Length; n++)
        {
            if (!(values[n] > 0.0 && double.IsFinite(values[n])))
            {
                throw new ArgumentException(
                    $"{name}[{n}] must be a finite number > 0 to take its logarithm, but it is {Arguments.Describe(values[n])}.", name);
            }

            logs[n] = Math.Log(values[n]);
        }

        return logs;
    }
}
