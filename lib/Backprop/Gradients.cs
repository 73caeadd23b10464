using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// What the backward pass returns for one sample: the deltas δ⁽ˡ⁾ of every layer (steps 2 and 3 of
/// the lecture's algorithm) and ∂L_n/∂w⁽ˡ⁾ = δ × input for every weight (step 4). Lesson 02.
/// </summary>
/// <remarks>Layers are numbered as in the lecture and in <see cref="ForwardPass"/>: l = 1 … L (<see cref="LayerCount"/>).</remarks>
public sealed class Gradients
{
    private readonly Vector<double>[] _delta;         // δ⁽¹⁾ … δ⁽ᴸ⁾ at 0 … L − 1
    private readonly Matrix<double>[] _weightGradient; // ∂L_n/∂w⁽¹⁾ … ∂L_n/∂w⁽ᴸ⁾ at 0 … L − 1

    internal Gradients(double loss, Vector<double>[] delta, Matrix<double>[] weightGradient)
    {
        Loss = loss;
        _delta = delta;
        _weightGradient = weightGradient;
    }

    /// <summary>The loss L_n of this sample.</summary>
    public double Loss { get; }

    /// <summary>The number of layers L.</summary>
    public int LayerCount => _delta.Length;

    /// <summary>
    /// The deltas δ⁽ˡ⁾ⱼ = ∂L_n/∂a⁽ˡ⁾ⱼ of layer l = 1 … L (entry j − 1 is unit j): δ⁽ᴸ⁾ are the lecture's output deltas
    /// δ_k = ∂L_n/∂a_k (step 2), the others its δ_j = h'(a_j) Σ_k w_kj δ_k (step 3).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">l is not 1 … L.</exception>
    public Vector<double> Delta(int l) => _delta[Notation.CheckLayer(l, 1, LayerCount, "Delta(l)", "the deltas δ⁽ˡ⁾ of layer l") - 1];

    /// <summary>
    /// The gradient ∂L_n/∂w⁽ˡ⁾ of layer l = 1 … L, the lecture's step 4: ∂L_n/∂w⁽ˡ⁾ⱼᵢ = δ⁽ˡ⁾ⱼ z⁽ˡ⁻¹⁾ᵢ, at row j − 1 and
    /// column i — the same shape as the layer's weights <c>net.Layers[l − 1].Weights</c> (column 0: the bias gradient δ⁽ˡ⁾ⱼ · 1).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">l is not 1 … L.</exception>
    public Matrix<double> WeightGradient(int l) =>
        _weightGradient[Notation.CheckLayer(l, 1, LayerCount, "WeightGradient(l)", "the gradient ∂L/∂w⁽ˡ⁾ of layer l's weights") - 1];

    /// <summary>All weight gradients in the kit's parameter order (see <see cref="Mlp.GetParameters"/>).</summary>
    public Vector<double> ToVector() => ParameterOrder.Flatten(_weightGradient);
}
