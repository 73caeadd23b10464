using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace Backprop;

/// <summary>
/// One layer of weights w_ji and the activation h of the units it feeds:
/// a_j = Σ_{i=0}^{D} w_ji x_i with x_0 = 1, then z_j = h(a_j).
/// </summary>
public sealed class Layer
{
    private readonly DenseMatrix _weights;

    /// <summary>A layer over dense weights: the passes read their column-major storage directly.</summary>
    internal Layer(DenseMatrix weights, Activation activation)
    {
        _weights = weights;
        Activation = activation;
    }

    /// <summary>
    /// The weights, a matrix of shape (units × (inputs + 1)). Row j holds unit j's weights;
    /// column 0 is its bias w_j0 (the weight of the constant input x_0 = 1), column i its weight
    /// w_ji from input i. Entries may be changed in place; use <see cref="SetWeights"/> to replace them all
    /// (which also tells batch forward passes made before that they are out of date).
    /// </summary>
    public Matrix<double> Weights => _weights;

    /// <summary>The column-major storage of <see cref="Weights"/> (w_ji at index j + i·units).</summary>
    internal double[] Storage => _weights.Values;

    /// <summary>How often <see cref="SetWeights"/> or an optimiser's step changed the weights (see <see cref="Mlp.WeightsVersion"/>).</summary>
    internal long Version { get; private set; }

    /// <summary>Records an in-place update of <see cref="Storage"/> by the kit's own optimisers, so passes made before it are refused.</summary>
    internal void MarkUpdated() => Version++;

    /// <summary>The activation h of this layer's units.</summary>
    public Activation Activation { get; }

    /// <summary>The number of inputs D (not counting the bias input x_0 = 1).</summary>
    public int InputCount => Weights.ColumnCount - 1;

    /// <summary>The number of units M in this layer.</summary>
    public int UnitCount => Weights.RowCount;

    /// <summary>The biases w_j0 (a copy of column 0).</summary>
    public Vector<double> Biases => Weights.Column(0);

    /// <summary>Copies new weights into this layer after checking their shape and that every entry is finite.</summary>
    public void SetWeights(Matrix<double> weights)
    {
        Guard.Shape(weights, UnitCount, InputCount + 1, nameof(weights), "units × (inputs + 1), column 0 = bias");
        Guard.Finite(weights, nameof(weights));
        weights.CopyTo(Weights);
        Version++;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Layer {InputCount} → {UnitCount} ({Activation.Name})";
}
