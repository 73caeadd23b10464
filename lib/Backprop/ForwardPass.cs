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
/// </remarks>
public sealed class ForwardPass
{
    internal ForwardPass(Vector<double>[] a, Vector<double>[] z)
    {
        A = a;
        Z = z;
    }

    /// <summary>The activations a of every layer: <c>A[l]</c> = a of the units of <c>Layers[l]</c>.</summary>
    public IReadOnlyList<Vector<double>> A { get; }

    /// <summary>The outputs z = h(a) of every layer, preceded by the input: <c>Z[0]</c> = x, <c>Z[l + 1]</c> = h(<c>A[l]</c>).</summary>
    public IReadOnlyList<Vector<double>> Z { get; }

    /// <summary>The input x (= <c>Z[0]</c>).</summary>
    public Vector<double> Input => Z[0];

    /// <summary>The network's outputs y (= the last <c>Z</c>).</summary>
    public Vector<double> Output => Z[^1];

    /// <inheritdoc/>
    public override string ToString() =>
        $"ForwardPass: x ({Input.Count}) → " + string.Join(" → ", A.Select((a, l) => $"a,z of layer {l + 1} ({a.Count})"));
}
