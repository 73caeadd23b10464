using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// What a per-layer mean hides: every hidden output z_j = h(a_j) and every sample's error |δ_j| of each layer of a
/// network on a data set, with the share of saturated outputs per hidden layer. A mean can stay put while the
/// distribution piles up at ±1 (saturation) or spreads over decades (vanishing and exploding δ, lecture: "Vanishing
/// Gradient"). <see cref="Histogram"/> bins them. Lesson 10.
/// </summary>
public sealed class LayerDistributions
{
    private LayerDistributions(double[][] outputs, double[][] deltaMagnitudes, double[] saturatedShares)
    {
        Outputs = outputs;
        DeltaMagnitudes = deltaMagnitudes;
        SaturatedShares = saturatedShares;
    }

    /// <summary>Per hidden layer (entry 0 is layer 1): z_j⁽ˡ⁾ of every sample and unit.</summary>
    public IReadOnlyList<double[]> Outputs { get; }

    /// <summary>Per layer, the output layer last: |δ_j⁽ˡ⁾| of every sample and unit, δ_j = h'(a_j) Σ_k w_kj δ_k.</summary>
    public IReadOnlyList<double[]> DeltaMagnitudes { get; }

    /// <summary>
    /// Per hidden layer: the share of its outputs whose slope |h'(a_j)| is below
    /// <see cref="LayerStatistics.SaturationThreshold"/> (<see cref="LayerStatistics.SaturatedFraction"/>); NaN for units
    /// that do not saturate (ReLU and its family).
    /// </summary>
    public IReadOnlyList<double> SaturatedShares { get; }

    /// <summary>Per layer, the output layer last: the median of |δ_j| over every sample and unit.</summary>
    public double[] MedianDeltaMagnitudes => [.. DeltaMagnitudes.Select(d => d.Order().ElementAt(d.Length / 2))];

    /// <summary>Runs the forward and the backward pass of <paramref name="net"/> on a data set and keeps every z and |δ|.</summary>
    /// <param name="net">The network, at least one hidden layer.</param>
    /// <param name="inputs">One row per sample, one column per network input.</param>
    /// <param name="targets">One row per sample, one column per network output.</param>
    /// <param name="loss">The loss whose δ are measured.</param>
    /// <exception cref="ArgumentException">The network has no hidden layer, or the shapes do not fit it.</exception>
    public static LayerDistributions Measure(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(loss);
        if (net.Layers.Count < 2)
        {
            throw new ArgumentException($"net must have at least one hidden layer, but it has {net.Layers.Count - 1}.", nameof(net));
        }

        Arguments.Columns(inputs, net.InputCount, nameof(inputs), "one column per network input, one row per sample");
        BatchForwardPass pass = net.Forward(inputs);
        BatchGradients gradients = net.Backward(pass, targets, loss);
        int hidden = net.Layers.Count - 1;
        double[][] outputs = [.. Enumerable.Range(1, hidden).Select(l => pass.Z(l).Enumerate().ToArray())];
        double[][] deltas = [.. Enumerable.Range(1, gradients.LayerCount).Select(l => gradients.Delta(l).Enumerate().Select(Math.Abs).ToArray())];
        double[] saturated = [.. Enumerable.Range(1, hidden).Select(l => LayerStatistics.SaturatedFraction(net.Layers[l - 1].Activation, pass.A(l)))];
        return new LayerDistributions(outputs, deltas, saturated);
    }

    /// <summary>
    /// The percentage of <paramref name="values"/> in each of <paramref name="bins"/> equal bins from
    /// <paramref name="from"/> to <paramref name="to"/>, at the bins' centres; values outside the range count in the end
    /// bins, so the percentages add up to 100.
    /// </summary>
    /// <exception cref="ArgumentException">No values, a value that is not a number, fewer than one bin, or an empty or
    /// reversed range.</exception>
    public static (double[] Centres, double[] Percent) Histogram(IReadOnlyCollection<double> values, double from, double to, int bins)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("values must hold at least one number, but it is empty.", nameof(values));
        }

        if (bins < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "bins must be at least 1.");
        }

        if (!double.IsFinite(from) || !double.IsFinite(to) || !(to > from))
        {
            throw new ArgumentException($"the range must be finite with from < to, but it is [{from}, {to}].", nameof(to));
        }

        double width = (to - from) / bins;
        var counts = new double[bins];
        foreach (double v in values)
        {
            if (double.IsNaN(v))
            {
                throw new ArgumentException("values must be numbers, but one is NaN.", nameof(values));
            }

            counts[Math.Clamp((int)Math.Floor((v - from) / width), 0, bins - 1)]++;
        }

        return ([.. Enumerable.Range(0, bins).Select(b => from + (b + 0.5) * width)], [.. counts.Select(c => 100 * c / values.Count)]);
    }
}
