using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The measurements of the vanishing-gradient lesson (lesson 06), computed from a batched forward
/// pass and gradient: the size of each layer's weight and bias gradient ("speed of learning"),
/// dead ReLU units and saturated σ/tanh units. <see cref="TrainingHistory"/> records them per entry.
/// </summary>
public static class NetworkDiagnostics
{
    /// <summary>
    /// The default threshold below which a σ or tanh unit counts as saturated: |h'(a)| &lt; 0.01,
    /// i.e. |a| &gt; 4.6 for the logistic σ (whose h' is at most 0.25) and |a| &gt; 3.0 for tanh.
    /// </summary>
    public const double SaturationThreshold = 0.01;

    /// <summary>
    /// The Euclidean (Frobenius) norm of a layer's weight gradient without its bias column,
    /// ‖∂L/∂w_ji‖ over j and i ≥ 1.
    /// </summary>
    /// <param name="layerGradient">A gradient of the shape of <see cref="Layer.Weights"/> (column 0 = bias).</param>
    public static double WeightGradientNorm(Matrix<double> layerGradient)
    {
        ArgumentNullException.ThrowIfNull(layerGradient);
        double sum = 0.0;
        for (int i = 1; i < layerGradient.ColumnCount; i++)
        {
            for (int j = 0; j < layerGradient.RowCount; j++)
            {
                sum += layerGradient[j, i] * layerGradient[j, i];
            }
        }

        return Math.Sqrt(sum);
    }

    /// <summary>The Euclidean norm of a layer's bias gradient ‖∂L/∂w_j0‖ = ‖Σ_n δ_j‖ (column 0).</summary>
    /// <param name="layerGradient">A gradient of the shape of <see cref="Layer.Weights"/> (column 0 = bias).</param>
    public static double BiasGradientNorm(Matrix<double> layerGradient)
    {
        ArgumentNullException.ThrowIfNull(layerGradient);
        double sum = 0.0;
        for (int j = 0; j < layerGradient.RowCount; j++)
        {
            sum += layerGradient[j, 0] * layerGradient[j, 0];
        }

        return Math.Sqrt(sum);
    }

    /// <summary>
    /// The fraction of a ReLU layer's units that are dead on a data set: unit j is dead when
    /// a_j ≤ 0 for every sample, so h'(a_j) = 0 and δ_j = h'(a_j) Σ_k w_kj δ_k = 0 — it never learns again.
    /// NaN for layers whose activation is not the plain ReLU (a leaky ReLU or ELU unit cannot die).
    /// </summary>
    /// <param name="activation">The layer's activation h.</param>
    /// <param name="a">The layer's activations, one row per sample (<see cref="BatchForwardPass.A"/>).</param>
    public static double DeadUnitFraction(Activation activation, Matrix<double> a)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(a);
        return activation.Kind == ActivationKind.ReLU ? InactiveUnitFraction(a) : double.NaN;
    }

    /// <summary>The fraction of a layer's units with a_j ≤ 0 for every sample (row) of <paramref name="a"/>.</summary>
    internal static double InactiveUnitFraction(Matrix<double> a)
    {
        int inactive = 0;
        for (int j = 0; j < a.ColumnCount; j++)
        {
            bool active = false;
            for (int n = 0; n < a.RowCount && !active; n++)
            {
                active = a[n, j] > 0.0;
            }

            inactive += active ? 0 : 1;
        }

        return (double)inactive / a.ColumnCount;
    }

    /// <summary>
    /// The fraction of (sample, unit) pairs of a σ or tanh layer that are saturated, |h'(a_j)| &lt;
    /// <paramref name="threshold"/>: there δ_j = h'(a_j) Σ_k w_kj δ_k is nearly 0 and the unit barely
    /// learns from that sample. NaN for layers whose activation is not σ or tanh.
    /// </summary>
    /// <param name="activation">The layer's activation h.</param>
    /// <param name="a">The layer's activations, one row per sample (<see cref="BatchForwardPass.A"/>).</param>
    /// <param name="threshold">The saturation threshold on |h'(a)|, &gt; 0; default <see cref="SaturationThreshold"/>.</param>
    public static double SaturatedFraction(Activation activation, Matrix<double> a, double threshold = SaturationThreshold)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(a);
        Guard.Positive(threshold, nameof(threshold));
        if (!activation.IsSigmoidal)
        {
            return double.NaN;
        }

        double[] values = a.AsColumnMajorArray() ?? a.ToColumnMajorArray();
        int saturated = 0;
        foreach (double aj in values)
        {
            saturated += Math.Abs(activation.Derivative(aj)) < threshold ? 1 : 0;
        }

        return values.Length == 0 ? double.NaN : (double)saturated / values.Length;
    }

    /// <summary>
    /// <see cref="SaturatedFraction"/> from the stored outputs z = h(a) (<see cref="BatchForwardPass.Z"/>), through
    /// h' written as a function of z — the same numbers without evaluating h again.
    /// </summary>
    internal static double SaturatedFractionFromOutputs(Activation activation, Matrix<double> z, double threshold = SaturationThreshold)
    {
        if (!activation.IsSigmoidal)
        {
            return double.NaN;
        }

        double[] values = z.AsColumnMajorArray() ?? z.ToColumnMajorArray();
        double[] derivative = new double[values.Length];
        activation.DerivativeFromOutput(values, derivative);
        int saturated = 0;
        foreach (double d in derivative)
        {
            saturated += Math.Abs(d) < threshold ? 1 : 0;
        }

        return values.Length == 0 ? double.NaN : (double)saturated / values.Length;
    }

    /// <summary>
    /// The bias-gradient norm of every layer for the mean gradient (1/N) ∂L/∂w over a data set, at the
    /// network's current weights: entry l belongs to <c>Layers[l]</c>. The ratio of the first hidden
    /// layer's entry to the last hidden layer's measures how much the gradient vanishes (lesson 06).
    /// </summary>
    public static double[] MeanBiasGradientNorms(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(net);
        BatchGradients g = net.Backward(net.Forward(inputs), targets, loss);
        return g.Weights.Select(w => BiasGradientNorm(w) / inputs.RowCount).ToArray();
    }

    /// <summary>As <see cref="MeanBiasGradientNorms"/>, for the weight gradients without the bias column.</summary>
    public static double[] MeanWeightGradientNorms(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(net);
        BatchGradients g = net.Backward(net.Forward(inputs), targets, loss);
        return g.Weights.Select(w => WeightGradientNorm(w) / inputs.RowCount).ToArray();
    }
}
