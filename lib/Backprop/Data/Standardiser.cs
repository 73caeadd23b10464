using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// Input standardisation x̃_i = (x_i − μ_i) / s_i, fitted on the training split only and then applied
/// unchanged to every split, as LeCun et al. recommend in "Efficient BackProp" (lesson 10): inputs
/// with zero mean and unit variance keep the activations a_j of the first layer in the range where
/// h'(a_j) is large.
/// </summary>
/// <remarks>
/// μ_i is the mean and s_i the population standard deviation (divided by N) of input i over the
/// training set. A constant input (three digits pixels are always 0) has s_i = 0; it keeps the scale
/// s_i = 1, so it becomes 0 instead of NaN. Inputs up to ±double.MaxValue are fitted exactly as well: where the sums
/// would overflow, μ_i and s_i are computed on the column scaled by a power of two.
/// </remarks>
public sealed class Standardiser
{
    /// <summary>The standard deviation below which an input counts as constant and keeps s_i = 1.</summary>
    public const double ConstantTolerance = 1e-12;

    private readonly double[] _mean;
    private readonly double[] _scale;

    private Standardiser(double[] mean, double[] scale)
    {
        _mean = mean;
        _scale = scale;
    }

    /// <summary>The means μ_i of the training inputs.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>The scales s_i: the standard deviations of the training inputs, 1 for a constant input.</summary>
    public IReadOnlyList<double> Scale => _scale;

    /// <summary>Fits μ_i and s_i on training inputs (one row per sample).</summary>
    /// <exception cref="ArgumentException">inputs has no rows or a NaN or infinite entry.</exception>
    public static Standardiser Fit(Matrix<double> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.RowCount < 1)
        {
            throw new ArgumentException("inputs must have at least one row (sample), but it has 0.", nameof(inputs));
        }

        Guard.Finite(inputs, nameof(inputs));
        int d = inputs.ColumnCount;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int i = 0; i < d; i++)
        {
            (mean[i], double s) = MeanAndDeviation(inputs, i);
            scale[i] = s > ConstantTolerance ? s : 1.0;
        }

        return new Standardiser(mean, scale);
    }

    /// <summary>Fits μ_i and s_i on the inputs of a training set.</summary>
    public static Standardiser Fit(Dataset training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return Fit(training.Inputs);
    }

    /// <summary>x̃_i = (x_i − μ_i) / s_i for every row; a new matrix.</summary>
    /// <exception cref="ArgumentException">inputs has a different number of columns than the fitted data, a NaN or
    /// infinite entry, or an entry so far from the fitted data that x̃_i exceeds the range of double.</exception>
    public Matrix<double> Transform(Matrix<double> inputs)
    {
        Guard.Columns(inputs, _mean.Length, nameof(inputs), "one column per input the standardiser was fitted on");
        Guard.Finite(inputs, nameof(inputs));
        var result = Matrix<double>.Build.Dense(inputs.RowCount, inputs.ColumnCount);
        for (int i = 0; i < _mean.Length; i++)
        {
            for (int row = 0; row < inputs.RowCount; row++)
            {
                double x = inputs[row, i];
                double standardised = (x - _mean[i]) / _scale[i];
                if (!double.IsFinite(standardised))
                {
                    // x − μ_i overflowed (both near ±double.MaxValue, opposite signs): the same quotient with all
                    // three quartered, exactly, since they are far from the subnormal range.
                    standardised = (Math.ScaleB(x, -2) - Math.ScaleB(_mean[i], -2)) / Math.ScaleB(_scale[i], -2);
                }

                if (!double.IsFinite(standardised))
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"inputs[{row}, {i}] = {x:R} is so far from the training data of input {i} (μ = {_mean[i]:R}, s = {_scale[i]:R}) that (x − μ) / s exceeds the range of double."),
                        nameof(inputs));
                }

                result[row, i] = standardised;
            }
        }

        return result;
    }

    /// <summary>The same data set with standardised inputs (targets and labels unchanged).</summary>
    public Dataset Transform(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data with { Name = $"{data.Name}, standardised", Inputs = Transform(data.Inputs) };
    }

    /// <summary>μ and the population standard deviation of one column, by two passes (the mean, then the squares about it).</summary>
    private static (double Mean, double Deviation) MeanAndDeviation(Matrix<double> inputs, int column)
    {
        (double mean, double deviation) = TwoPass(inputs, column, 0);
        if (double.IsFinite(mean) && double.IsFinite(deviation))
        {
            return (mean, deviation);
        }

        // Entries near ±double.MaxValue overflow the sum or the squares (±1e308 gave μ = 0 and s = ∞, so every
        // input became 0). Both results are at most max |x| (s ≤ (max − min) / 2), so they fit: compute them on the
        // column scaled by 2^−k, exact for a power of two, with k such that every |x| · 2^−k < 1, and scale back.
        double largest = 0.0;
        for (int row = 0; row < inputs.RowCount; row++)
        {
            largest = Math.Max(largest, Math.Abs(inputs[row, column]));
        }

        int k = Math.ILogB(largest) + 1;
        (mean, deviation) = TwoPass(inputs, column, -k);
        return (Math.ScaleB(mean, k), Math.ScaleB(deviation, k));
    }

    /// <summary>Mean and population standard deviation of column · 2^exponent (exponent 0: the column itself).</summary>
    private static (double Mean, double Deviation) TwoPass(Matrix<double> inputs, int column, int exponent)
    {
        int n = inputs.RowCount;
        double sum = 0.0;
        for (int row = 0; row < n; row++)
        {
            sum += Math.ScaleB(inputs[row, column], exponent);
        }

        double mean = sum / n;
        double squares = 0.0;
        for (int row = 0; row < n; row++)
        {
            double e = Math.ScaleB(inputs[row, column], exponent) - mean;
            squares += e * e;
        }

        return (mean, Math.Sqrt(squares / n));
    }

    /// <inheritdoc/>
    public override string ToString() => $"Standardiser for {_mean.Length} inputs ({_scale.Count(s => s == 1.0)} with scale 1)";
}
