using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// Per-layer and per-unit measurements for the lessons on saturation, vanishing gradients and
/// activation functions (lessons 06 and 07): the first-to-last gradient ratio, saturated and inactive
/// units, mean outputs and derivatives per layer, and how far training moved each layer's weights.
/// Hidden layer h is <c>Layers[h]</c> (h = 0 is the first hidden layer, w⁽¹⁾).
/// </summary>
public static class LayerStatistics
{
    /// <summary>
    /// How much the gradient shrinks from the last hidden layer back to the first: the first hidden
    /// layer's norm over the last hidden layer's, given one norm per weight layer (output layer last,
    /// as <see cref="NetworkDiagnostics.MeanBiasGradientNorms"/> and <see cref="TrainingHistory.BiasGradientNorms"/>
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
            throw new ArgumentException($"perLayerNorms: the last hidden layer's norm (entry {perLayerNorms.Count - 2}) must be a finite number > 0, but it is {Guard.Describe(last)}.", nameof(perLayerNorms));
        }

        return perLayerNorms[0] / last;
    }

    /// <summary>
    /// The first-to-last ratio of the mean bias-gradient norms ‖(1/N) Σ_n δ_j‖ of a network on a data set
    /// at its current weights (see <see cref="FirstToLastRatio(IReadOnlyList{double})"/>). Lesson 06.
    /// </summary>
    public static double FirstToLastRatio(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss) =>
        FirstToLastRatio(NetworkDiagnostics.MeanBiasGradientNorms(net, inputs, targets, loss));

    /// <summary>
    /// Per hidden layer: the fraction of (sample, unit) pairs with |h'(a_j)| below the threshold
    /// (<see cref="NetworkDiagnostics.SaturatedFraction"/>); NaN for layers that are not σ or tanh. Lesson 06.
    /// </summary>
    public static double[] SaturatedFractions(Mlp net, Matrix<double> inputs, double threshold = NetworkDiagnostics.SaturationThreshold)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => NetworkDiagnostics.SaturatedFraction(net.Layers[l].Activation, pass.A[l], threshold))];
    }

    /// <summary>
    /// Per unit of one layer: the fraction of samples for which the unit is saturated, |h'(a_j)| &lt; threshold.
    /// A unit saturated on every sample has δ_j ≈ 0 and barely learns. Lesson 06.
    /// </summary>
    /// <param name="activation">The layer's activation h (σ or tanh).</param>
    /// <param name="a">The layer's activations, one row per sample (<see cref="BatchForwardPass.A"/>).</param>
    /// <param name="threshold">The saturation threshold on |h'(a)|, &gt; 0.</param>
    /// <exception cref="ArgumentException">The activation is not σ or tanh, or the threshold is not positive.</exception>
    public static double[] UnitSaturatedFractions(Activation activation, Matrix<double> a, double threshold = NetworkDiagnostics.SaturationThreshold)
    {
        ArgumentNullException.ThrowIfNull(activation);
        ArgumentNullException.ThrowIfNull(a);
        Guard.Positive(threshold, nameof(threshold));
        if (!activation.IsSigmoidal)
        {
            throw new ArgumentException($"activation must be a saturating σ or tanh unit, but it is {activation.Name}.", nameof(activation));
        }

        return [.. Enumerable.Range(0, a.ColumnCount).Select(j =>
            (double)a.Column(j).Count(aj => Math.Abs(activation.Derivative(aj)) < threshold) / a.RowCount)];
    }

    /// <summary>
    /// Per hidden layer: the fraction of units with a_j ≤ 0 for every sample. For ReLU these units are
    /// dead (h' = 0, they never learn again; <see cref="NetworkDiagnostics.DeadUnitFraction"/>); a leaky
    /// ReLU or ELU unit in the same state still passes h' = k or k·e^a back and can recover. NaN for σ,
    /// tanh and identity layers. Lesson 07.
    /// </summary>
    public static double[] InactiveFractions(Mlp net, Matrix<double> inputs)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => net.Layers[l].Activation.IsRectifier ? NetworkDiagnostics.InactiveUnitFraction(pass.A[l]) : double.NaN)];
    }

    /// <summary>
    /// Per hidden layer: the fraction of units whose gradient ∂L/∂w_ji = Σ_n δ_j z_i is exactly 0 for every incoming
    /// weight (bias included) on the data set — units that cannot learn from these samples at all. A dead ReLU unit is
    /// one; a leaky ReLU or ELU unit, whose h' is never 0, is almost never one. Lesson 07.
    /// </summary>
    public static double[] ZeroGradientFractions(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        BatchGradients gradients = net.Backward(pass, targets, loss);
        return [.. Hidden(net).Select(l => (double)gradients.Weights[l].EnumerateRows().Count(row => row.All(g => g == 0.0)) / gradients.Weights[l].RowCount)];
    }

    /// <summary>
    /// Per hidden layer: the mean output z_j = h(a_j) over all samples and units — what the ELU paper
    /// calls the mean activation. ELU units keep it nearer 0 than ReLU units, whose outputs are never
    /// negative. Lesson 07.
    /// </summary>
    public static double[] MeanOutputs(Mlp net, Matrix<double> inputs)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => pass.Z[l + 1].Enumerate().Average())];
    }

    /// <summary>
    /// Per hidden layer: the mean derivative h'(a_j) over all samples and units — the average factor the
    /// layer multiplies into δ_j = h'(a_j) Σ_k w_kj δ_k. At most 1/4 for σ. Lesson 06.
    /// </summary>
    public static double[] MeanDerivatives(Mlp net, Matrix<double> inputs)
    {
        BatchForwardPass pass = ForwardChecked(net, inputs);
        return [.. Hidden(net).Select(l => pass.A[l].Enumerate().Select(net.Layers[l].Activation.Derivative).Average())];
    }

    /// <summary>
    /// Per weight layer: how far training moved it, ‖W_after − W_before‖ / ‖W_before‖ (Frobenius norms
    /// without the bias column). "While the network might be deep, learning will not be deep": with σ
    /// units the layers near the input barely move. Lesson 06.
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
    /// unit (δ_j ≈ 0) barely moves. Lesson 06.
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
        Guard.Columns(inputs, net.InputCount, nameof(inputs), "one column per network input, one row per sample");
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
