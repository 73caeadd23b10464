using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The backward pass over a batch: deltas per sample and the gradient of the summed loss L = Σ_n L_n.
/// </summary>
/// <remarks>Layers are numbered as in the lecture: l = 1 … L (<see cref="LayerCount"/>), as in <see cref="Gradients"/>.</remarks>
public sealed class BatchGradients
{
    private readonly Matrix<double>[] _delta;          // δ⁽¹⁾ … δ⁽ᴸ⁾ at 0 … L − 1, one row per sample
    private readonly Matrix<double>[] _weightGradient; // ∂L/∂w⁽¹⁾ … ∂L/∂w⁽ᴸ⁾ at 0 … L − 1

    internal BatchGradients(double loss, Matrix<double>[] delta, Matrix<double>[] weightGradient)
    {
        Loss = loss;
        _delta = delta;
        _weightGradient = weightGradient;
    }

    /// <summary>The summed loss L = Σ_n L_n over the batch.</summary>
    public double Loss { get; }

    /// <summary>The number of layers L.</summary>
    public int LayerCount => _delta.Length;

    /// <summary>The deltas δ⁽ˡ⁾ = ∂L_n/∂a⁽ˡ⁾ of layer l = 1 … L (steps 2 and 3): row n holds sample n's, column j − 1 unit j's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">l is not 1 … L.</exception>
    public Matrix<double> Delta(int l) => _delta[Notation.CheckLayer(l, 1, LayerCount, "Delta(l)", "the deltas δ⁽ˡ⁾ of layer l") - 1];

    /// <summary>
    /// The gradient ∂L/∂w⁽ˡ⁾ of layer l = 1 … L (step 4 summed over the batch): ∂L/∂w⁽ˡ⁾ⱼᵢ = Σ_n δ⁽ˡ⁾ⱼ z⁽ˡ⁻¹⁾ᵢ at row j − 1,
    /// column i — the same shape as <c>net.Layers[l − 1].Weights</c> (column 0: the bias).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">l is not 1 … L.</exception>
    public Matrix<double> WeightGradient(int l) =>
        _weightGradient[Notation.CheckLayer(l, 1, LayerCount, "WeightGradient(l)", "the gradient ∂L/∂w⁽ˡ⁾ of layer l's weights") - 1];

    /// <summary>All weight gradients in the kit's parameter order (see <see cref="Mlp.GetParameters"/>).</summary>
    public Vector<double> ToVector() => ParameterOrder.Flatten(_weightGradient);
}
