using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The backward pass over a batch: deltas per sample and the gradient of the summed loss L = Σ_n L_n.
/// </summary>
public sealed class BatchGradients
{
    internal BatchGradients(double loss, Matrix<double>[] delta, Matrix<double>[] weights)
    {
        Loss = loss;
        Delta = Array.AsReadOnly(delta);
        Weights = Array.AsReadOnly(weights);
    }

    /// <summary>The summed loss L = Σ_n L_n over the batch.</summary>
    public double Loss { get; }

    /// <summary><c>Delta[l]</c>: row n holds δ of <c>Layers[l]</c>'s units for sample n.</summary>
    public IReadOnlyList<Matrix<double>> Delta { get; }

    /// <summary><c>Weights[l]</c>: ∂L/∂w = Σ_n δ_j^(n) z_i^(n) for <c>Layers[l]</c>, the same shape as its weights.</summary>
    public IReadOnlyList<Matrix<double>> Weights { get; }

    /// <summary>All weight gradients in the kit's parameter order (see <see cref="Mlp.GetParameters"/>).</summary>
    public Vector<double> ToVector() => ParameterOrder.Flatten(Weights);
}
