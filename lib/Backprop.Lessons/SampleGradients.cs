using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// The weight gradient of every sample, ∂L_n/∂w_ji = δ_j z_i (z_0 = 1), measured per layer — the size of what each sample asks
/// of a layer, which the norm of the mean gradient (1/N) Σ_n δ hides: per-sample gradients pointing different ways cancel
/// in the mean near a stationary point, while each sample still pushes (lecture: "Vanishing Gradient"; lesson 09).
/// </summary>
public static class SampleGradients
{
    /// <summary>
    /// Per weight layer l (output last), the root mean square over the samples of ‖∂L_n/∂W⁽ˡ⁾‖, the Frobenius norm of the
    /// sample's weight gradient; since that gradient is the outer product of δ⁽ˡ⁾ and (1, z⁽ˡ⁻¹⁾), its norm is ‖δ‖ · ‖(1, z)‖.
    /// </summary>
    public static double[] RmsWeightGradientNorms(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss) =>
        [.. WeightGradientNorms(net, inputs, targets, loss).Select(norms => Math.Sqrt(norms.Average(n => n * n)))];

    /// <summary>Per weight layer l (output last), every sample's ‖∂L_n/∂W⁽ˡ⁾‖ — the distribution behind <see cref="RmsWeightGradientNorms"/>.</summary>
    public static double[][] WeightGradientNorms(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(inputs);
        BatchForwardPass pass = net.Forward(inputs);
        BatchGradients g = net.Backward(pass, targets, loss);
        return [.. Enumerable.Range(1, g.LayerCount).Select(l =>
        {
            Matrix<double> delta = g.Delta(l), z = pass.Z(l - 1);   // z⁽⁰⁾ = x
            return Enumerable.Range(0, inputs.RowCount).Select(n => delta.Row(n).L2Norm() * Math.Sqrt(1 + z.Row(n).DotProduct(z.Row(n)))).ToArray();
        })];
    }
}
