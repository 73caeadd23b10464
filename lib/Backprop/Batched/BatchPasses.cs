using System.Numerics.Tensors;
using Backprop.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The fast batched passes: the same equations as the single-sample passes in <see cref="Mlp"/>, one row per sample,
/// as matrix products (<see cref="Gemm"/>) on MathNet's column-major storage. Nothing here checks anything:
/// <see cref="BatchPath"/> validates the arguments before and the results between and after these steps.
/// </summary>
internal static class BatchPasses
{
    /// <summary>Step 1 for every row: A = [1 | Z] Wᵀ, then Z' = h(A), layer by layer.</summary>
    public static (Matrix<double>[] A, Matrix<double>[] Z) Forward(IReadOnlyList<Layer> layers, Matrix<double> inputs)
    {
        int n = inputs.RowCount;
        double[] zl = inputs.ToColumnMajorArray();
        var a = new Matrix<double>[layers.Count];
        var z = new Matrix<double>[layers.Count + 1];
        z[0] = Matrix<double>.Build.Dense(n, inputs.ColumnCount, zl);
        for (int l = 0; l < layers.Count; l++)
        {
            Layer layer = layers[l];
            int units = layer.UnitCount;
            double[] al = GC.AllocateUninitializedArray<double>(n * units);
            for (int j = 0; j < units; j++)
            {
                al.AsSpan(j * n, n).Fill(layer.Storage[j]);                      // w_j0 z_0 with z_0 = 1
            }

            MatrixView w = MatrixView.ColumnMajor(layer.Storage, units, layer.InputCount + 1);
            Gemm.Multiply(                                                       // A += Z W[:, 1:]ᵀ
                MatrixView.ColumnMajor(zl, n, layer.InputCount),
                w.ColumnsFrom(1).Transposed,
                MatrixView.ColumnMajor(al, n, units),
                accumulate: true);
            double[] zNext = GC.AllocateUninitializedArray<double>(n * units);
            layer.Activation.BatchValue(al, zNext);                              // z_j = h(a_j)
            a[l] = Matrix<double>.Build.Dense(n, units, al);
            z[l + 1] = Matrix<double>.Build.Dense(n, units, zNext);
            zl = zNext;
        }

        return (a, z);
    }

    /// <summary>
    /// Steps 3–4 for every row, from the output deltas Δ (step 2, <see cref="OutputDeltas"/>): for each layer towards the
    /// input the gradient ∂L/∂W = Δᵀ [1 | Z] and the deltas of the layer below, Δ ← h'(Z) ⊙ (Δ W[:, 1:]). The gradient
    /// goes into matrices (<paramref name="dw"/>) or, in parameter order, into <paramref name="gradient"/>.
    /// </summary>
    public static void Backward(
        IReadOnlyList<Layer> layers, IReadOnlyList<Matrix<double>> z, double[] deltaL,
        Matrix<double>[] delta, Matrix<double>[]? dw, double[]? gradient)
    {
        int n = z[0].RowCount;
        int offset = gradient?.Length ?? 0;
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            Layer layer = layers[l];
            int units = layer.UnitCount;
            int inputs = layer.InputCount;
            delta[l] = Matrix<double>.Build.Dense(n, units, deltaL);
            double[] zl = Storage(z[l]);
            MatrixView deltaView = MatrixView.ColumnMajor(deltaL, n, units);

            // ∂L/∂w_ji = Σ_n δ_j z_i: the bias column Σ_n δ_j, then Δᵀ Z into columns 1 … D.
            double[] g;
            MatrixView gView;
            if (dw is not null)
            {
                g = GC.AllocateUninitializedArray<double>(units * (inputs + 1));
                gView = MatrixView.ColumnMajor(g, units, inputs + 1);
                dw[l] = Matrix<double>.Build.Dense(units, inputs + 1, g);
            }
            else
            {
                offset -= units * (inputs + 1);
                g = gradient!;
                gView = MatrixView.RowMajor(g, units, inputs + 1, offset);
            }

            for (int j = 0; j < units; j++)
            {
                g[gView.Offset + (j * gView.RowStride)] = Elementwise.Sum(deltaL.AsSpan(j * n, n));
            }

            Gemm.Multiply(deltaView.Transposed, MatrixView.ColumnMajor(zl, n, inputs), gView.ColumnsFrom(1), accumulate: false);

            if (l > 0)
            {
                // δ_j = h'(a_j) Σ_k w_kj δ_k for every row, skipping the bias column 0 of W.
                double[] back = GC.AllocateUninitializedArray<double>(n * inputs);
                Gemm.Multiply(
                    deltaView,
                    MatrixView.ColumnMajor(layer.Storage, units, inputs + 1).ColumnsFrom(1),
                    MatrixView.ColumnMajor(back, n, inputs),
                    accumulate: false);
                double[] previous = GC.AllocateUninitializedArray<double>(n * inputs);
                layers[l - 1].Activation.BatchDerivativeFromOutput(zl, previous);
                TensorPrimitives.Multiply(previous, back, previous);
                deltaL = previous;
            }
        }
    }

    /// <summary>Step 2 for every row: δ_k = ∂L_n/∂a_k (column-major, n × K) and the summed loss L = Σ_n L_n.</summary>
    public static double[] OutputDeltas(Activation output, Matrix<double> outputs, Matrix<double> targets, Loss loss, out double lossValue)
    {
        double[] y = Storage(outputs);
        int k = targets.ColumnCount;
        int n = targets.RowCount;
        double[] t = Storage(targets);
        var delta = new double[n * k];
        Span<double> yRow = k <= 128 ? stackalloc double[k] : new double[k];
        Span<double> tRow = k <= 128 ? stackalloc double[k] : new double[k];
        Span<double> dRow = k <= 128 ? stackalloc double[k] : new double[k];
        lossValue = 0.0;
        for (int row = 0; row < n; row++)
        {
            for (int col = 0; col < k; col++)
            {
                yRow[col] = y[(col * n) + row];
                tRow[col] = t[(col * n) + row];
            }

            lossValue += loss.ValueAndDelta(yRow, tRow, output, dRow);
            for (int col = 0; col < k; col++)
            {
                delta[(col * n) + row] = dRow[col];
            }
        }

        return delta;
    }

    /// <summary>The storage of a dense matrix (column-major), or a column-major copy of a user's non-dense one.</summary>
    private static double[] Storage(Matrix<double> m) => m.AsColumnMajorArray() ?? m.ToColumnMajorArray();
}
