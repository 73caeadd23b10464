using BigInteger = System.Numerics.BigInteger;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// The weight-space symmetries of a network (lecture: "Neural Network training finds local minimum —
/// due to symmetry, there are multiple equivalent local minima"; PRML §5.1.1): transformations of the
/// weights that leave the function y(x, w) — and therefore the loss — unchanged. Each returns a new
/// <see cref="Mlp"/> and leaves the original as it was. Lesson 07.
/// </summary>
public static class WeightSpaceSymmetry
{
    /// <summary>
    /// Reorders the units of hidden layer <paramref name="layer"/>: new unit j is old unit
    /// permutation[j]. Its row of incoming weights w_ji (bias included) and its column of outgoing
    /// weights w_kj in the next layer move together, so every a_k of the next layer sums the same
    /// terms in another order and y(x) is unchanged.
    /// </summary>
    /// <param name="net">The network (not modified).</param>
    /// <param name="layer">The index of a hidden layer in <see cref="Mlp.Layers"/> (0 = the first, not the output layer).</param>
    /// <param name="permutation">A permutation of 0 … M − 1, M = the layer's number of units.</param>
    /// <exception cref="ArgumentException">The layer is not hidden or the permutation is not one of 0 … M − 1.</exception>
    public static Mlp PermuteHiddenUnits(Mlp net, int layer, IReadOnlyList<int> permutation)
    {
        CheckHiddenLayer(net, layer);
        ArgumentNullException.ThrowIfNull(permutation);
        int m = net.Layers[layer].UnitCount;
        if (permutation.Count != m || permutation.Distinct().Count() != m || permutation.Any(p => p < 0 || p >= m))
        {
            throw new ArgumentException(
                $"permutation must list each of 0 … {m - 1} exactly once (layer {layer} has M = {m} units), but it is [{string.Join(", ", permutation)}].",
                nameof(permutation));
        }

        Mlp result = net.Clone();
        Matrix<double> wIn = net.Layers[layer].Weights;
        Matrix<double> wOut = net.Layers[layer + 1].Weights;
        Matrix<double> newIn = wIn.Clone();
        Matrix<double> newOut = wOut.Clone();
        for (int j = 0; j < m; j++)
        {
            newIn.SetRow(j, wIn.Row(permutation[j]));                 // incoming w_ji (row j, bias in column 0)
            newOut.SetColumn(j + 1, wOut.Column(permutation[j] + 1)); // outgoing w_kj (column j + 1: column 0 is the bias)
        }

        result.Layers[layer].SetWeights(newIn);
        result.Layers[layer + 1].SetWeights(newOut);
        return result;
    }

    /// <summary>
    /// Flips the signs of every weight into and out of one hidden unit: w_ji → −w_ji (bias included)
    /// and w_kj → −w_kj. Because tanh is odd, tanh(−a_j) = −tanh(a_j), so the unit's output changes
    /// sign and its outgoing weights change it back: y(x) is unchanged.
    /// </summary>
    /// <param name="net">The network (not modified).</param>
    /// <param name="layer">The index of a hidden layer in <see cref="Mlp.Layers"/>.</param>
    /// <param name="unit">The unit, 0 … M − 1 (row of the layer's weight matrix).</param>
    /// <exception cref="ArgumentException">The layer is not hidden, its activation is not odd (tanh or identity), or the unit does not exist.</exception>
    public static Mlp FlipHiddenUnit(Mlp net, int layer, int unit)
    {
        CheckHiddenLayer(net, layer);
        if (!net.Layers[layer].Activation.IsOdd)
        {
            throw new ArgumentException(
                $"FlipHiddenUnit needs an odd activation h(−a) = −h(a) (tanh or identity), but layer {layer} uses {net.Layers[layer].Activation.Name}.",
                nameof(layer));
        }

        int m = net.Layers[layer].UnitCount;
        if (unit < 0 || unit >= m)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, $"unit must lie in 0 … {m - 1} (layer {layer} has M = {m} units), but it is {unit}.");
        }

        Mlp result = net.Clone();
        Matrix<double> wIn = result.Layers[layer].Weights;
        Matrix<double> wOut = result.Layers[layer + 1].Weights;
        wIn.SetRow(unit, -wIn.Row(unit));             // w_ji → −w_ji, so a_j → −a_j and z_j → −z_j
        wOut.SetColumn(unit + 1, -wOut.Column(unit + 1)); // w_kj → −w_kj, so w_kj z_j is unchanged
        return result;
    }

    /// <summary>
    /// The number of weight vectors equivalent to one, M!·2^M for a hidden layer of M tanh units
    /// (M! orderings of the units times 2^M sign flips; PRML §5.1.1).
    /// </summary>
    /// <param name="hiddenUnits">M ≥ 0.</param>
    public static BigInteger EquivalentWeightVectors(int hiddenUnits)
    {
        if (hiddenUnits < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenUnits), hiddenUnits, $"hiddenUnits must be ≥ 0, but it is {hiddenUnits}.");
        }

        BigInteger count = BigInteger.One;
        for (int m = 1; m <= hiddenUnits; m++)
        {
            count *= 2 * m; // m · 2 for each unit: M! · 2^M
        }

        return count;
    }

    /// <summary>
    /// The number of equivalent weight vectors of a whole network: the product of M_l!·2^{M_l} over its
    /// hidden layers (2^{M_l} only for odd activations such as tanh; M_l! otherwise).
    /// </summary>
    public static BigInteger EquivalentWeightVectors(Mlp net)
    {
        ArgumentNullException.ThrowIfNull(net);
        BigInteger count = BigInteger.One;
        for (int l = 0; l < net.Layers.Count - 1; l++)
        {
            int m = net.Layers[l].UnitCount;
            count *= net.Layers[l].Activation.IsOdd ? EquivalentWeightVectors(m) : Factorial(m);
        }

        return count;
    }

    /// <summary>
    /// One representative of a hidden layer's M!·2^M equivalent weight vectors: every unit flipped so
    /// that its weight from input 1, w_j1, is ≥ 0, then the units sorted by their bias w_j0 (ties broken by
    /// their other weights, in order: all biases start at 0). Two networks
    /// related by permutations and sign flips of that layer have the same canonical form, so comparing
    /// canonical forms tells whether two trained networks reached equivalent minima.
    /// </summary>
    /// <param name="net">The network (not modified).</param>
    /// <param name="layer">The index of a hidden layer with an odd activation (tanh or identity).</param>
    /// <exception cref="ArgumentException">The layer is not hidden or its activation is not odd (tanh or identity).</exception>
    public static Mlp Canonical(Mlp net, int layer = 0)
    {
        CheckHiddenLayer(net, layer);
        if (!net.Layers[layer].Activation.IsOdd)
        {
            // Checked here, not only in FlipHiddenUnit, so the answer does not depend on the signs of the weights.
            throw new ArgumentException(
                $"Canonical needs an odd activation h(−a) = −h(a) (tanh or identity), but layer {layer} uses {net.Layers[layer].Activation.Name}.",
                nameof(layer));
        }

        Mlp result = net.Clone();
        for (int j = 0; j < result.Layers[layer].UnitCount; j++)
        {
            if (result.Layers[layer].Weights[j, 1] < 0)
            {
                result = FlipHiddenUnit(result, layer, j);
            }
        }

        // Sort by bias w_j0; ties (every bias starts at 0) are broken by the rest of the unit's incoming
        // weights w_j1, w_j2, … and then its outgoing weights w_kj, so the order is unique unless two units are identical.
        Matrix<double> w = result.Layers[layer].Weights;
        Matrix<double> next = result.Layers[layer + 1].Weights;
        double[][] keys = [.. Enumerable.Range(0, w.RowCount).Select(j => w.Row(j).Concat(next.Column(j + 1)).ToArray())];
        int[] byBias = [.. Enumerable.Range(0, w.RowCount).OrderBy(j => keys[j], Comparer<double[]>.Create(Lexicographic))];
        return PermuteHiddenUnits(result, layer, byBias);
    }

    private static int Lexicographic(double[] a, double[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            int order = a[i].CompareTo(b[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }

    private static BigInteger Factorial(int m)
    {
        BigInteger f = BigInteger.One;
        for (int i = 2; i <= m; i++)
        {
            f *= i;
        }

        return f;
    }

    private static void CheckHiddenLayer(Mlp net, int layer)
    {
        ArgumentNullException.ThrowIfNull(net);
        if (layer < 0 || layer >= net.Layers.Count - 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(layer), layer, $"layer must index a hidden layer, 0 … {net.Layers.Count - 2} (the output layer {net.Layers.Count - 1} has no units after it), but it is {layer}.");
        }
    }
}
