using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The forward pass over a batch: the same quantities as <see cref="ForwardPass"/>, one row per sample.
/// </summary>
/// <remarks>
/// A pass belongs to the network that made it and to its weights as they were:
/// <see cref="Mlp.Backward(BatchForwardPass, Matrix{double}, Loss)"/> refuses a pass from another network or
/// one made before <see cref="Mlp.SetParameters"/>, <see cref="Layer.SetWeights"/> or a gradient-descent step.
/// (Batch passes compare a version counter, not the weights, to keep training fast: an edit of single entries of
/// <see cref="Layer.Weights"/> in place by the caller is not seen here; the single-sample <see cref="ForwardPass"/> sees it.)
/// </remarks>
public sealed class BatchForwardPass
{
    internal BatchForwardPass(Mlp network, long weightsVersion, Matrix<double>[] a, Matrix<double>[] z)
    {
        Network = network;
        WeightsVersion = weightsVersion;
        A = a;
        Z = z;
    }

    /// <summary><c>A[l]</c>: row n holds the activations a of <c>Layers[l]</c>'s units for sample n.</summary>
    public IReadOnlyList<Matrix<double>> A { get; }

    /// <summary><c>Z[0]</c> = the inputs; <c>Z[l + 1]</c> = h(<c>A[l]</c>), one row per sample.</summary>
    public IReadOnlyList<Matrix<double>> Z { get; }

    /// <summary>The inputs (= <c>Z[0]</c>).</summary>
    public Matrix<double> Inputs => Z[0];

    /// <summary>The outputs, one row per sample (= the last <c>Z</c>).</summary>
    public Matrix<double> Outputs => Z[^1];

    /// <summary>The number of samples in the batch.</summary>
    public int SampleCount => Z[0].RowCount;

    /// <summary>The network whose <see cref="Mlp.Forward(Matrix{double})"/> made this pass.</summary>
    internal Mlp Network { get; }

    /// <summary>The network's <see cref="Mlp.WeightsVersion"/> when the pass was made.</summary>
    internal long WeightsVersion { get; }
}
