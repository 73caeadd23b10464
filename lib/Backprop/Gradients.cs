using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// What the backward pass returns for one sample: the deltas δ of every layer (steps 2 and 3 of
/// the lecture's algorithm) and ∂L_n/∂w = δ × input for every weight (step 4). Lesson 02.
/// </summary>
public sealed class Gradients
{
    internal Gradients(double loss, Vector<double>[] delta, Matrix<double>[] weights)
    {
        Loss = loss;
        Delta = delta;
        Weights = weights;
    }

    /// <summary>The loss L_n of this sample.</summary>
    public double Loss { get; }

    /// <summary><c>Delta[l]</c>: δ_j = ∂L_n/∂a_j for the units of <c>Layers[l]</c>; the last entry holds the output deltas δ_k.</summary>
    public IReadOnlyList<Vector<double>> Delta { get; }

    /// <summary>
    /// <c>Weights[l]</c>: ∂L_n/∂w_ji = δ_j · z_i for <c>Layers[l]</c>, the same shape as its weights
    /// (column 0: the bias gradient δ_j · 1).
    /// </summary>
    public IReadOnlyList<Matrix<double>> Weights { get; }

    /// <summary>All weight gradients in the kit's parameter order (see <see cref="Mlp.GetParameters"/>).</summary>
    public Vector<double> ToVector() => ParameterOrder.Flatten(Weights);
}
