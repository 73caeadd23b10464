using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// Input standardisation x̃_i = (x_i − μ_i) / s_i, fitted on the training split only and then applied
/// unchanged to every split, as LeCun et al. recommend in "Efficient BackProp" (lesson 06): inputs
/// with zero mean and unit variance keep the activations a_j of the first layer in the range where
/// h'(a_j) is large.
/// </summary>
/// <remarks>
/// μ_i is the mean and s_i the population standard deviation (divided by N) of input i over the
/// training set. A constant input (three digits pixels are always 0) has s_i = 0; it keeps the scale
/// s_i = 1, so it becomes 0 instead of NaN.
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
        int n = inputs.RowCount;
        int d = inputs.ColumnCount;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int i = 0; i < d; i++)
        {
            double sum = 0.0;
            for (int row = 0; row < n; row++)
            {
                sum += inputs[row, i];
            }

            mean[i] = sum / n;
            double squares = 0.0;
            for (int row = 0; row < n; row++)
            {
                double e = inputs[row, i] - mean[i];
                squares += e * e;
            }

            double s = Math.Sqrt(squares / n);
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
    /// <exception cref="ArgumentException">inputs has a different number of columns than the fitted data.</exception>
    public Matrix<double> Transform(Matrix<double> inputs)
    {
        Guard.Columns(inputs, _mean.Length, nameof(inputs), "one column per input the standardiser was fitted on");
        var result = Matrix<double>.Build.Dense(inputs.RowCount, inputs.ColumnCount);
        for (int i = 0; i < _mean.Length; i++)
        {
            for (int row = 0; row < inputs.RowCount; row++)
            {
                result[row, i] = (inputs[row, i] - _mean[i]) / _scale[i];
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

    /// <inheritdoc/>
    public override string ToString() => $"Standardiser for {_mean.Length} inputs ({_scale.Count(s => s == 1.0)} with scale 1)";
}
