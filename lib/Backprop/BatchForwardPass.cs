using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The forward pass over a batch: the same quantities as <see cref="ForwardPass"/>, one row per sample, numbered
/// like the lecture's layers: <c>A(l)</c> = a⁽ˡ⁾ for l = 1 … L, <c>Z(l)</c> = z⁽ˡ⁾ for l = 0 … L with z⁽⁰⁾ = the inputs.
/// </summary>
/// <remarks>
/// A pass belongs to the network that made it and to its weights as they were:
/// <see cref="Mlp.Backward(BatchForwardPass, Matrix{double}, Loss)"/> refuses a pass from another network or
/// one made before <see cref="Mlp.SetParameters"/>, <see cref="Layer.SetWeights"/> or a gradient-descent step.
/// (Batch passes compare a version counter, not the weights, to keep training fast: an edit of single entries of
/// <see cref="Layer.Weights"/> in place by the caller is not seen here; the single-sample <see cref="ForwardPass"/> sees it.)
/// <para>A pass is a record of what Forward computed: its matrices can be written (MathNet matrices are), but
/// <see cref="Mlp.Backward(BatchForwardPass, Matrix{double}, Loss)"/> refuses a pass with a changed entry, naming the
/// matrix (a checksum per matrix, taken by Forward) — to try other values, change a copy (<c>pass.Z(1).Clone()</c>).</para>
/// </remarks>
public sealed class BatchForwardPass
{
    private readonly (ulong, ulong, ulong, ulong)[]? _checksums; // of z⁽⁰⁾, z⁽¹⁾, …, then a⁽¹⁾, a⁽²⁾, …; null when not taken
    private readonly Matrix<double>[] _activations; // a⁽¹⁾ … a⁽ᴸ⁾ at 0 … L − 1
    private readonly Matrix<double>[] _outputs;     // z⁽⁰⁾ … z⁽ᴸ⁾ at 0 … L

    internal BatchForwardPass(Mlp network, long weightsVersion, Matrix<double>[] a, Matrix<double>[] z, bool fingerprint)
    {
        Network = network;
        WeightsVersion = weightsVersion;
        _activations = a;
        _outputs = z;
        _checksums = fingerprint ? [.. z.Select(Checksum), .. a.Select(Checksum)] : null;
    }

    /// <summary>The number of layers L (layers of weights; the input is not counted).</summary>
    public int LayerCount => _activations.Length;

    /// <summary>The activations a⁽ˡ⁾ = [1 | z⁽ˡ⁻¹⁾] w⁽ˡ⁾ᵀ of layer l = 1 … L: row n holds sample n's, column j − 1 unit j's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">l is not 1 … L.</exception>
    public Matrix<double> A(int l) => _activations[Notation.CheckLayer(l, 1, LayerCount, "A(l)", "the activations a⁽ˡ⁾ of layer l") - 1];

    /// <summary>The outputs z⁽ˡ⁾ = h(a⁽ˡ⁾) of layer l = 1 … L, and z⁽⁰⁾ = the inputs for l = 0; one row per sample.</summary>
    /// <exception cref="ArgumentOutOfRangeException">l is not 0 … L.</exception>
    public Matrix<double> Z(int l) => _outputs[Notation.CheckLayer(l, 0, LayerCount, "Z(l)", "the outputs z⁽ˡ⁾ of layer l")];

    /// <summary>The inputs (= <c>Z(0)</c>).</summary>
    public Matrix<double> Inputs => _outputs[0];

    /// <summary>The outputs, one row per sample (= <c>Z(L)</c>).</summary>
    public Matrix<double> Outputs => _outputs[^1];

    /// <summary>z⁽⁰⁾ … z⁽ᴸ⁾ by 0-based position, for the kit's batched passes.</summary>
    internal IReadOnlyList<Matrix<double>> Outputs0 => _outputs;

    /// <summary>The number of samples in the batch.</summary>
    public int SampleCount => _outputs[0].RowCount;

    /// <summary>The network whose <see cref="Mlp.Forward(Matrix{double})"/> made this pass.</summary>
    internal Mlp Network { get; }

    /// <summary>The network's <see cref="Mlp.WeightsVersion"/> when the pass was made.</summary>
    internal long WeightsVersion { get; }

    /// <summary>The first matrix of <see cref="Z"/> or <see cref="A"/> whose checksum changed since Forward ("Z(1)"), or null.</summary>
    internal string? FirstEdit()
    {
        if (_checksums is null)
        {
            return null;
        }

        for (int l = 0; l < _outputs.Length; l++)
        {
            if (Checksum(_outputs[l]) != _checksums[l])
            {
                return FormattableString.Invariant($"Z({l})");
            }
        }

        for (int l = 0; l < _activations.Length; l++)
        {
            if (Checksum(_activations[l]) != _checksums[_outputs.Length + l])
            {
                return FormattableString.Invariant($"A({l + 1})");
            }
        }

        return null;
    }

    /// <summary>
    /// A checksum of every bit of the matrix's entries, in four interleaved lanes h ← (h ⊕ x) · P, each step a bijection
    /// of h for a given x and of x for a given h: a change of any one entry always changes the result (and more changes
    /// but for a chance of about 2^−256). Plain scalar code; it costs a small fraction of the pass's matrix products.
    /// </summary>
    private static (ulong, ulong, ulong, ulong) Checksum(Matrix<double> m)
    {
        const ulong P = 0x9E3779B97F4A7C15; // odd (2^64 / golden ratio)
        double[] values = m.AsColumnMajorArray() ?? m.ToColumnMajorArray();
        ReadOnlySpan<ulong> bits = MemoryMarshal.Cast<double, ulong>(values.AsSpan());
        ulong h0 = 1, h1 = 2, h2 = 3, h3 = 4;
        int i = 0;
        for (; i + 4 <= bits.Length; i += 4)
        {
            h0 = (h0 ^ bits[i]) * P;
            h1 = (h1 ^ bits[i + 1]) * P;
            h2 = (h2 ^ bits[i + 2]) * P;
            h3 = (h3 ^ bits[i + 3]) * P;
        }

        for (; i < bits.Length; i++)
        {
            h0 = (h0 ^ bits[i]) * P;
        }

        return (h0, h1, h2, h3);
    }
}
