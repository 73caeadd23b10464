using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// Per-layer and per-unit measurements for the lessons on saturation, vanishing gradients and
/// activation functions (lessons 09 and 11): the size of each layer's weight and bias gradient ("speed of
/// learning") and the first-to-last gradient ratio, dead, saturated and inactive units, mean outputs and
/// derivatives per layer, and how far training moved each layer's weights. <see cref="LayerDiagnosticsRecorder"/>
/// records the per-layer gradient norms and dead/saturated fractions at every entry of a training run.
/// Hidden layer h is <c>Layers[h]</c> (h = 0 is the first hidden layer, w⁽¹⁾).
/// </summary>
public static class LayerStatistics
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
        Arguments.Positive(threshold, nameof(threshold));
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
    /// layer's entry to the last hidden layer's measures how much the gradient vanishes (lesson 09).
    /// </summary>
    public static double[] MeanBiasGradientNorms(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(net);
        BatchGradients g = net.Backward(net.Forward(inputs), targets, loss);
        return [.. Enumerable.Range(1, g.LayerCount).Select(l => BiasGradientNorm(g.WeightGradient(l)) / inputs.RowCount)];
    }

    /// <summary>
    /// How much the gradient shrinks from the last hidden layer back to the first: the first hidden
    /// layer's norm over the last hidden layer's, given one norm per weight layer (output layer last,
    /// as <see cref="MeanBiasGradientNorms"/> and <see cref="LayerDiagnosticsRecorder.BiasGradientNorms"/>
    /// give them). With δ_j = h'(a_j) Σ_k w_kj δ_k each hidden layer multiplies in a factor h'(a_j) ≤ 1/4
    /// for σ, so for σ units the ratio is about (1/4)^(H − 1) for H hidden layers (lecture: "Vanishing Gradient").
    /// </summary>
    /// <param name="perLayerNorms">One gradient norm per weight layer, at least three (two hidden layers and the output).</param>
    /// <exception cref="ArgumentException">Fewer than three norms, or the last hidden layer's norm is not a finite number &gt; 0.</exception>
    public static double FirstToLastRatio(IReadOnlyList<double> perLayerNorms)
    {
        ArgumentNullException.ThrowIfNull(perLayerNorms);
        if (perLayerNorms.Count < 3)
        {
            throw new ArgumentException($"perLayerNorms needs one norm per weight layer of a network with at least two hidden layers (3 or more), but it has {perLayerNorms.Count}.", nameof(perLayerNorms));
        }

        double last = perLayerNorms[^2];
        if (!(last > 0.0 && double.IsFinite(last)))
        {
            throw new ArgumentException($"perLayerNorms: the last hidden layer's norm (entry {perLayerNorms.Count - 2}) must be a finite number > 0, but it is {Arguments.Describe(last)}.", nameof(perLayerNorms));
        }

        return perLayerNorms[0] / last;
    }

    /// <summary>
    /// The first-to-last ratio of the mean bias-gradient norms ‖(1/N) Σ_n δ_j‖ of a network on a data set
    /// at its current weights (see <see cref="FirstToLastRatio(IReadOnlyList{double})"/>). Lesson 09.
    /// </summary>
    public static double FirstToLastRatio(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss) =>
        FirstToLastRatio(MeanBiasGradientNorms(net, inputs, targets, loss));

    /// <summary>
    /// Per hidden layer: the fraction of (sample, unit) pairs with |h'(a_j)| below the threshold
    /// (<see cref="SaturatedFraction"/>); NaN for layers that are not σ or tanh. Lesson 09.
    /// </summary>
    public static double[] SaturatedFractions(Mlp net, Matrix<double> inputs, double threshold = SaturationThreshold)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => SaturatedFraction(net.Layers[l].Activation, pass.A(l + 1), threshold))];
    }

    /// <summary>
    /// Per unit of one layer: the fraction of samples for which the unit is saturated, |h'(a_j)| &lt; threshold.
    /// A unit saturated on every sample has δ_j ≈ 0 and barely learns. Lesson 09.
    /// </summary>
    /// <param name="activation">The layer's activation h (σ or tanh).</param>
    /// <param name="a">The layer's activations, one row per sample (<see cref="BatchForwardPass.A"/>).</param>
    /// <param name="threshold">The saturation threshold on |h'(a)|, &gt; 0.</param>
    /// <exception cref="ArgumentException">The activation is not σ or tanh, or the threshold is not positive.</exception>
    public static double[] UnitSaturatedFractions(Activation activation, Matrix<double> a, double threshold = SaturationThreshold)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(a);
        Arguments.Positive(threshold, nameof(threshold));
        if (!activation.IsSigmoidal)
        {
            throw new ArgumentException($"activation must be a saturating σ or tanh unit, but it is {activation.Name}.", nameof(activation));
        }

        return [.. Enumerable.Range(0, a.ColumnCount).Select(j =>
            (double)a.Column(j).Count(aj => Math.Abs(activation.Derivative(aj)) < threshold) / a.RowCount)];
    }

    /// <summary>
    /// Per hidden layer: the fraction of units with a_j ≤ 0 for every sample. For ReLU these units are
    /// dead (h' = 0, they never learn again; <see cref="DeadUnitFraction"/>); a leaky
    /// ReLU or ELU unit in the same state still passes h' = k or k·e^a back and can recover. NaN for σ,
    /// tanh and identity layers. Lesson 12.
    /// </summary>
    public static double[] InactiveFractions(Mlp net, Matrix<double> inputs)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => net.Layers[l].Activation.IsRectifier ? InactiveUnitFraction(pass.A(l + 1)) : double.NaN)];
    }

    /// <summary>
    /// Per hidden layer: the fraction of units whose gradient ∂L/∂w_ji = Σ_n δ_j z_i is exactly 0 for every incoming
    /// weight (bias included) on the data set — units that cannot learn from these samples at all. A dead ReLU unit is
    /// one; a leaky ReLU or ELU unit, whose h' is never 0, is almost never one. Lesson 12.
    /// </summary>
    public static double[] ZeroGradientFractions(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        BatchGradients gradients = net.Backward(pass, targets, loss);
        return [.. Hidden(net).Select(l => (double)gradients.WeightGradient(l + 1).EnumerateRows().Count(row => row.All(g => g == 0.0)) / gradients.WeightGradient(l + 1).RowCount)];
    }

    /// <summary>
    /// Per hidden layer: the fraction of outputs z_j = h(a_j) over all (sample, unit) pairs that are exactly 0 — the
    /// layer's sparsity. ReLU units output 0 for every a_j ≤ 0, so a ReLU layer is sparse (a unit "off" for a sample
    /// passes nothing on, which is cheap and makes the representation selective); σ, tanh, leaky ReLU and ELU outputs
    /// are almost never exactly 0. Lesson 12.
    /// </summary>
    public static double[] ZeroOutputFractions(Mlp net, Matrix<double> inputs)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => (double)pass.Z(l + 1).Enumerate().Count(z => z == 0.0) / (pass.Z(l + 1).RowCount * pass.Z(l + 1).ColumnCount))];
    }

    /// <summary>
    /// How far h is from its tangent line at a = 0, h(0) + h'(0)·a, on the band from ≤ |a| ≤ to: the largest
    /// |h(a) − h(0) − h'(0)·a| on a grid of 2001 points on each side. Small for σ and tanh near 0 — "almost linear
    /// when not saturated" (lecture) — and large once |a| is past the bend. Lesson 11.
    /// </summary>
    /// <param name="activation">The activation h.</param>
    /// <param name="from">The smallest |a| of the band, ≥ 0.</param>
    /// <param name="to">The largest |a| of the band, &gt; from.</param>
    /// <exception cref="ArgumentException">from is negative or to is not larger than from.</exception>
    public static double MaxTangentDeviation(Activation activation, double from, double to)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (!(from >= 0) || !(to > from))
        {
            throw new ArgumentException($"need 0 ≤ from < to for the band from ≤ |a| ≤ to, but from = {from} and to = {to}.", nameof(to));
        }

        double h0 = activation.Value(0.0), slope = activation.Derivative(0.0), worst = 0.0;
        for (int i = 0; i <= 2000; i++)
        {
            double m = from + ((to - from) * i / 2000.0);
            foreach (double a in (double[])[m, -m])
            {
                worst = Math.Max(worst, Math.Abs(activation.Value(a) - h0 - (slope * a)));
            }
        }

        return worst;
    }

    /// <summary>
    /// Per hidden layer: the mean output z_j = h(a_j) over all samples and units — what the ELU paper
    /// calls the mean activation. ELU units keep it nearer 0 than ReLU units, whose outputs are never
    /// negative. Lesson 12.
    /// </summary>
    public static double[] MeanOutputs(Mlp net, Matrix<double> inputs)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => pass.Z(l + 1).Enumerate().Average())];
    }

    /// <summary>
    /// Per hidden layer: the mean square activation E[a_j²] over all samples and units. With zero-mean weights and zero
    /// biases a_j = Σ_i w_ji z_i has mean 0, so this is Var[a_j], the quantity the initialisation rules keep level from
    /// layer to layer: Var[a_j] = fan-in · σ_w² · E[z_i²]. Lesson 10.
    /// </summary>
    public static double[] MeanSquareActivations(Mlp net, Matrix<double> inputs)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => pass.A(l + 1).Enumerate().Select(a => a * a).Average())];
    }

    /// <summary>
    /// Per hidden layer: the mean derivative h'(a_j) over all samples and units — the average factor the
    /// layer multiplies into δ_j = h'(a_j) Σ_k w_kj δ_k. At most 1/4 for σ. Lesson 09.
    /// </summary>
    public static double[] MeanDerivatives(Mlp net, Matrix<double> inputs)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => pass.A(l + 1).Enumerate().Select(net.Layers[l].Activation.Derivative).Average())];
    }

    /// <summary>
    /// Per weight layer: how far training moved it, ‖W_after − W_before‖ / ‖W_before‖ (Frobenius norms
    /// without the bias column). "While the network might be deep, learning will not be deep": with σ
    /// units the layers near the input barely move. Lesson 09.
    /// </summary>
    /// <param name="before">A copy of the network before training (<see cref="Mlp.Clone"/>).</param>
    /// <param name="after">The same network after training.</param>
    /// <exception cref="ArgumentException">The networks differ in shape, or a layer of <paramref name="before"/> has all weights 0.</exception>
    public static double[] RelativeWeightChanges(Mlp before, Mlp after)
    {
        SameShape(before, after);
        return [.. Enumerable.Range(0, before.Layers.Count).Select(l =>
        {
            Matrix<double> w0 = before.Layers[l].Weights.RemoveColumn(0);
            double size = w0.FrobeniusNorm();
            if (!(size > 0.0))
            {
                throw new ArgumentException($"before: layer {l + 1} has all weights 0, so a relative change is undefined.", nameof(before));
            }

            return (after.Layers[l].Weights.RemoveColumn(0) - w0).FrobeniusNorm() / size;
        })];
    }

    /// <summary>
    /// Per unit j of one weight layer: ‖Δw_j‖, the Euclidean norm of the change of all its incoming weights
    /// w_ji (bias w_j0 included) between two copies of a network. Since ∂L/∂w_ji = δ_j z_i, a saturated
    /// unit (δ_j ≈ 0) barely moves. Lesson 09.
    /// </summary>
    /// <param name="before">A copy of the network before training.</param>
    /// <param name="after">The same network after training.</param>
    /// <param name="layer">The weight layer, 0 = <c>Layers[0]</c> (w⁽¹⁾).</param>
    public static double[] UnitWeightChanges(Mlp before, Mlp after, int layer)
    {
        SameShape(before, after);
        if (layer < 0 || layer >= before.Layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer must be in 0 … {before.Layers.Count - 1}, but it is {layer}.");
        }

        Matrix<double> change = after.Layers[layer].Weights - before.Layers[layer].Weights;
        return [.. change.EnumerateRows().Select(row => row.L2Norm())];
    }

    private static BatchForwardPass ForwardChecked(Mlp net, Matrix<double> inputs)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(inputs);
        Arguments.Columns(inputs, net.InputCount, nameof(inputs), "one column per network input, one row per sample");
        if (inputs.RowCount < 1)
        {
            throw new ArgumentException("inputs must have at least one row (sample), but it has 0.", nameof(inputs));
        }

        return net.Forward(inputs);
    }

    private static IEnumerable<int> Hidden(Mlp net) => Enumerable.Range(0, net.Layers.Count - 1);

    private static void SameShape(Mlp before, Mlp after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!before.LayerSizes.SequenceEqual(after.LayerSizes))
        {
            throw new ArgumentException($"after must have the layer sizes of before, {string.Join("-", before.LayerSizes)}, but it has {string.Join("-", after.LayerSizes)}.", nameof(after));
        }
    }
}
