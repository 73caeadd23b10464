using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// Everything the forward pass computed for one input x and stored for the backward pass
/// (step 1 of the lecture's learning algorithm). Lesson 01 walks through it.
/// </summary>
/// <remarks>
/// Indices follow <see cref="Mlp.Layers"/>: <c>A[l]</c> is computed by <c>Layers[l]</c> from its
/// input <c>Z[l]</c> as a = W·(1, Z[l]), and <c>Z[l + 1]</c> = h(<c>A[l]</c>). <c>Z[0]</c> is the
/// input x itself, so <c>Z</c> has one entry more than <c>A</c>. The bias input x_0 = z_0 = 1 is
/// implied, not stored.
/// <para>A pass belongs to the network and the weights that made it: <see cref="Mlp.Backward(ForwardPass, Vector{double}, Loss)"/>
/// refuses a pass from another network or one made before any weight changed.</para>
/// <para>A pass is a record of what Forward computed: its vectors can be written (MathNet vectors are), but
/// <see cref="Mlp.Backward(ForwardPass, Vector{double}, Loss)"/> refuses a pass with a changed entry, naming it —
/// to try other values, change a copy (<c>pass.Z[1].Clone()</c>).</para>
/// </remarks>
public sealed class ForwardPass
{
    private readonly double[][] _weights;
    private readonly double[][] _a;
    private readonly double[][] _z;

    internal ForwardPass(Mlp network, Vector<double>[] a, Vector<double>[] z)
    {
        Network = network;
        _weights = [.. network.Layers.Select(layer => (double[])layer.Storage.Clone())];
        _a = [.. a.Select(v => v.ToArray())];
        _z = [.. z.Select(v => v.ToArray())];
        A = Array.AsReadOnly(a);
        Z = Array.AsReadOnly(z);
    }

    /// <summary>The activations a of every layer: <c>A[l]</c> = a of the units of <c>Layers[l]</c>.</summary>
    public IReadOnlyList<Vector<double>> A { get; }

    /// <summary>The outputs z = h(a) of every layer, preceded by the input: <c>Z[0]</c> = x, <c>Z[l + 1]</c> = h(<c>A[l]</c>).</summary>
    public IReadOnlyList<Vector<double>> Z { get; }

    /// <summary>The input x (= <c>Z[0]</c>).</summary>
    public Vector<double> Input => Z[0];

    /// <summary>The network's outputs y (= the last <c>Z</c>).</summary>
    public Vector<double> Output => Z[^1];

    /// <summary>The network whose <see cref="Mlp.Forward(Vector{double})"/> made this pass.</summary>
    internal Mlp Network { get; }

    /// <summary>
    /// True when the network's weights are still exactly those the pass was made with. A copy is kept
    /// (single-sample passes are the lessons' and cost little), so in-place edits of
    /// <see cref="Layer.Weights"/> are caught as well as <see cref="Mlp.SetParameters"/> and <see cref="Layer.SetWeights"/>.
    /// </summary>
    internal bool MadeWithWeightsOf(Mlp network)
    {
        for (int l = 0; l < _weights.Length; l++)
        {
            if (!_weights[l].AsSpan().SequenceEqual(network.Layers[l].Storage))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The first entry of <see cref="A"/> or <see cref="Z"/> that differs from what Forward stored, described as
    /// "Z[1][2] is 5 but Forward computed 0.25", or null when the pass is as Forward made it.
    /// </summary>
    internal string? FirstEdit() => FirstEdit("Z", Z, _z) ?? FirstEdit("A", A, _a);

    private static string? FirstEdit(string name, IReadOnlyList<Vector<double>> current, double[][] stored)
    {
        for (int l = 0; l < stored.Length; l++)
        {
            for (int i = 0; i < stored[l].Length; i++)
            {
                // Bitwise, so that a NaN written over a number (or −0 over 0) counts as a change too.
                if (BitConverter.DoubleToInt64Bits(current[l][i]) != BitConverter.DoubleToInt64Bits(stored[l][i]))
                {
                    return FormattableString.Invariant($"{name}[{l}][{i}] is {Guard.Describe(current[l][i])} but Forward computed {Guard.Describe(stored[l][i])}");
                }
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ForwardPass: x ({Input.Count}) → " + string.Join(" → ", A.Select((a, l) => $"a,z of layer {l + 1} ({a.Count})"));
}
