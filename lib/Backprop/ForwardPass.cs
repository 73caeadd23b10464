using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// Everything the forward pass computed for one input x and stored for the backward pass
/// (step 1 of the lecture's learning algorithm). Lesson 01 walks through it.
/// </summary>
/// <remarks>
/// Layers are numbered as in the lecture: <c>A(l)</c> = a⁽ˡ⁾ and <c>Z(l)</c> = z⁽ˡ⁾ for l = 1 … L
/// (<see cref="LayerCount"/>), with a⁽ˡ⁾ = w⁽ˡ⁾ (1, z⁽ˡ⁻¹⁾) and z⁽ˡ⁾ = h(a⁽ˡ⁾); <c>Z(0)</c> = z⁽⁰⁾ is the input x itself.
/// Layer l's weights w⁽ˡ⁾ are <c>net.Layers[l − 1]</c> (a 0-based list). The bias input z₀ = 1 is implied, not stored.
/// <para>A pass belongs to the network and the weights that made it: <see cref="Mlp.Backward(ForwardPass, Vector{double}, Loss)"/>
/// refuses a pass from another network or one made before any weight changed.</para>
/// <para>A pass is a record of what Forward computed: its vectors can be written (MathNet vectors are), but
/// <see cref="Mlp.Backward(ForwardPass, Vector{double}, Loss)"/> refuses a pass with a changed entry, naming it —
/// to try other values, change a copy (<c>pass.Z(1).Clone()</c>).</para>
/// </remarks>
public sealed class ForwardPass
{
    private readonly double[][] _weights;
    private readonly double[][] _a;
    private readonly double[][] _z;
    private readonly Vector<double>[] _activations; // a⁽¹⁾ … a⁽ᴸ⁾ at 0 … L − 1
    private readonly Vector<double>[] _outputs;     // z⁽⁰⁾ = x, z⁽¹⁾ … z⁽ᴸ⁾ at 0 … L

    internal ForwardPass(Mlp network, Vector<double>[] a, Vector<double>[] z)
    {
        Network = network;
        _weights = [.. network.Layers.Select(layer => (double[])layer.Storage.Clone())];
        _a = [.. a.Select(v => v.ToArray())];
        _z = [.. z.Select(v => v.ToArray())];
        _activations = a;
        _outputs = z;
    }

    /// <summary>The number of layers L (layers of weights; the input x is not counted).</summary>
    public int LayerCount => _activations.Length;

    /// <summary>
    /// The activations a⁽ˡ⁾ of layer l = 1 … L: a⁽ˡ⁾ⱼ = Σᵢ w⁽ˡ⁾ⱼᵢ z⁽ˡ⁻¹⁾ᵢ with z⁽ˡ⁻¹⁾₀ = 1 (the lecture's
    /// a_j = Σ_{i=0}^{D} w_ji x_i for l = 1). Entry j − 1 is unit j.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">l is not 1 … L.</exception>
    public Vector<double> A(int l) => _activations[Notation.CheckLayer(l, 1, LayerCount, "A(l)", "the activations a⁽ˡ⁾ of layer l") - 1];

    /// <summary>
    /// The outputs z⁽ˡ⁾ = h(a⁽ˡ⁾) of layer l = 1 … L (the lecture's z_j = h(a_j)), and z⁽⁰⁾ = x for l = 0;
    /// z⁽ᴸ⁾ is the network's output y. Entry j − 1 is unit j (the bias z₀ = 1 is not stored).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">l is not 0 … L.</exception>
    public Vector<double> Z(int l) => _outputs[Notation.CheckLayer(l, 0, LayerCount, "Z(l)", "the outputs z⁽ˡ⁾ of layer l")];

    /// <summary>The input x (= <c>Z(0)</c>).</summary>
    public Vector<double> Input => _outputs[0];

    /// <summary>The network's outputs y (= <c>Z(L)</c>).</summary>
    public Vector<double> Output => _outputs[^1];

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
    /// "z⁽¹⁾₃ (pass.Z(1)[2]) is 5 but Forward computed 0.25", or null when the pass is as Forward made it.
    /// </summary>
    internal string? FirstEdit() => FirstEdit("z", "Z", _outputs, _z, firstLayer: 0) ?? FirstEdit("a", "A", _activations, _a, firstLayer: 1);

    private static string? FirstEdit(string symbol, string member, Vector<double>[] current, double[][] stored, int firstLayer)
    {
        for (int l = 0; l < stored.Length; l++)
        {
            for (int i = 0; i < stored[l].Length; i++)
            {
                // Bitwise, so that a NaN written over a number (or −0 over 0) counts as a change too.
                if (BitConverter.DoubleToInt64Bits(current[l][i]) != BitConverter.DoubleToInt64Bits(stored[l][i]))
                {
                    int layer = l + firstLayer;
                    return FormattableString.Invariant(
                        $"{symbol}{Notation.Layer(layer)}{Notation.Subscripts(i + 1)} (pass.{member}({layer})[{i}]) is {Guard.Describe(current[l][i])} but Forward computed {Guard.Describe(stored[l][i])}");
                }
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ForwardPass: x ({Input.Count}) → " + string.Join(" → ", _activations.Select((a, l) => $"a,z of layer {l + 1} ({a.Count})"));
}
