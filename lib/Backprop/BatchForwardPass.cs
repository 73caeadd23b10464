using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The forward pass over a batch: the same quantities as <see cref="ForwardPass"/>, one row per sample.
/// </summary>
public sealed class BatchForwardPass
{
    internal BatchForwardPass(Matrix<double>[] a, Matrix<double>[] z)
    {
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
}
