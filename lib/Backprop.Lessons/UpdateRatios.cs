using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// The update-to-data ratio of a gradient-descent step, per layer: how large one step's change of the weights is next to the
/// weights themselves, ‖η (1/B) Σ_n ∂L_n/∂W⁽ˡ⁾‖ / ‖W⁽ˡ⁾‖ (Frobenius norms without the bias column). A common rule of thumb
/// (Karpathy; CS231n, "babysitting the learning process") wants it near <see cref="Guide"/>: far below, a layer barely
/// learns; far above, it is thrown around. Lesson 10.
/// </summary>
public static class UpdateRatios
{
    /// <summary>The rule of thumb for a healthy update-to-data ratio, 1e-3.</summary>
    public const double Guide = 1e-3;

    /// <summary>
    /// Per weight layer (output last): the mean over the first <paramref name="batches"/> mini-batches of the data, in order,
    /// of the update-to-data ratio of the step that mini-batch gradient descent would take there. Nothing is changed.
    /// </summary>
    /// <param name="net">The network, at its current weights.</param>
    /// <param name="inputs">One sample per row; at least <paramref name="batches"/> × <paramref name="batchSize"/> rows.</param>
    /// <param name="targets">One target per row.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="learningRate">The step size η, &gt; 0.</param>
    /// <param name="batchSize">B, ≥ 1.</param>
    /// <param name="batches">How many consecutive mini-batches to average over, ≥ 1.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range, the data are too few, or a layer has all weights 0.</exception>
    public static double[] OfSteps(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, double learningRate, int batchSize = 10, int batches = 10)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        Arguments.Positive(learningRate, nameof(learningRate));
        if (batchSize < 1 || batches < 1)
        {
            throw new ArgumentOutOfRangeException(batchSize < 1 ? nameof(batchSize) : nameof(batches), "batchSize and batches must each be at least 1.");
        }

        if (inputs.RowCount < batchSize * batches)
        {
            throw new ArgumentException($"inputs has {inputs.RowCount} rows, fewer than batches × batchSize = {batches * batchSize}.", nameof(inputs));
        }

        double[] sizes = [.. net.Layers.Select((layer, l) => layer.Weights.RemoveColumn(0).FrobeniusNorm() is var size && size > 0
            ? size
            : throw new ArgumentException($"layer {l + 1} has all weights 0, so an update-to-data ratio is undefined.", nameof(net)))];
        var sums = new double[net.Layers.Count];
        for (int b = 0; b < batches; b++)
        {
            var x = inputs.SubMatrix(b * batchSize, batchSize, 0, inputs.ColumnCount);
            var t = targets.SubMatrix(b * batchSize, batchSize, 0, targets.ColumnCount);
            BatchGradients g = net.Backward(net.Forward(x), t, loss);
            for (int l = 1; l <= g.LayerCount; l++)
            {
                sums[l - 1] += learningRate / batchSize * g.WeightGradient(l).RemoveColumn(0).FrobeniusNorm() / sizes[l - 1];
            }
        }

        return [.. sums.Select(s => s / batches)];
    }
}
