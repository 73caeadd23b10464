using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace Backprop;

/// <summary>
/// A multilayer perceptron of any depth, trained by backpropagation exactly as the lecture
/// writes it (Bishop's notation): a_j = Σ_i w_ji x_i with x_0 = 1, z_j = h(a_j) with z_0 = 1,
/// δ_k = ∂L_n/∂a_k, δ_j = h'(a_j) Σ_k w_kj δ_k, and ∂L_n/∂w_ji = δ_j z_i.
/// </summary>
/// <remarks>
/// The network keeps no per-pass state: <see cref="Forward(Vector{double})"/> returns a
/// <see cref="ForwardPass"/> that <see cref="Backward(ForwardPass, Vector{double}, Loss)"/> reads,
/// so any number of passes may be in flight at once.
/// </remarks>
public sealed class Mlp
{
    private readonly Layer[] _layers;
    private long _version;

    /// <summary>Builds a network with one activation per weight layer and weights drawn from a seed.</summary>
    /// <param name="layerSizes">Units per layer from the input: e.g. {D, M, K} for the lecture's two-layer network.</param>
    /// <param name="activations">The activation of each weight layer; <c>activations.Length == layerSizes.Length − 1</c>.</param>
    /// <param name="seed">The seed of the weight draw: the same seed gives the same network.</param>
    /// <param name="initialisation">How weights are drawn for every layer; null picks LeCun for
    /// logistic, tanh and identity layers and He for the ReLU family. Biases start at 0.</param>
    /// <exception cref="ArgumentException">Fewer than two sizes, a size below 1, or the wrong number of activations.</exception>
    public Mlp(int[] layerSizes, Activation[] activations, int seed, Initialisation? initialisation = null)
    {
        NetworkChecks.ValidateSizes(layerSizes, activations);
        var random = new Gaussian(seed);
        _layers = new Layer[activations.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            int fanIn = layerSizes[l];
            int fanOut = layerSizes[l + 1];
            Initialisation init = initialisation ?? Initialisation.DefaultFor(activations[l]);
            var w = new DenseMatrix(fanOut, fanIn + 1);

            // Drawn in parameter order (row by row); column 0, the bias, stays 0.
            for (int j = 0; j < fanOut; j++)
            {
                for (int i = 1; i <= fanIn; i++)
                {
                    w[j, i] = init.Sample(random, fanIn, fanOut);
                }
            }

            _layers[l] = new Layer(w, activations[l]);
        }
    }

    /// <summary>Builds a network whose hidden layers share one activation, with a different one for the outputs.</summary>
    /// <param name="layerSizes">Units per layer from the input, at least two entries.</param>
    /// <param name="hidden">The activation h of every hidden layer.</param>
    /// <param name="output">The activation of the output layer (identity for the lecture's linear outputs).</param>
    /// <param name="seed">The seed of the weight draw.</param>
    /// <param name="initialisation">As in the other constructor.</param>
    public Mlp(int[] layerSizes, Activation hidden, Activation output, int seed, Initialisation? initialisation = null)
        : this(layerSizes, NetworkChecks.SpreadActivations(layerSizes, hidden, output), seed, initialisation)
    {
    }

    private Mlp(Layer[] layers)
    {
        _layers = layers;
    }

    /// <summary>The weight layers from the input: <c>Layers[0]</c> holds w⁽¹⁾ (input → first hidden layer).</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The number of units in each layer, from the inputs to the outputs.</summary>
    public IReadOnlyList<int> LayerSizes => [_layers[0].InputCount, .. _layers.Select(layer => layer.UnitCount)];

    /// <summary>The number of inputs D.</summary>
    public int InputCount => _layers[0].InputCount;

    /// <summary>The number of outputs K.</summary>
    public int OutputCount => _layers[^1].UnitCount;

    /// <summary>The total number of weights and biases |W|.</summary>
    public int ParameterCount => _layers.Sum(layer => layer.Storage.Length);

    /// <summary>Where each layer's weights sit in the parameter vector, named w⁽¹⁾, w⁽²⁾, … as in the lecture (block l − 1 holds w⁽ˡ⁾).</summary>
    public IReadOnlyList<ParameterBlock> ParameterLayout
    {
        get
        {
            var blocks = new ParameterBlock[_layers.Length];
            int offset = 0;
            for (int l = 0; l < _layers.Length; l++)
            {
                blocks[l] = new ParameterBlock("w" + Notation.Layer(l + 1), offset, _layers[l].UnitCount, _layers[l].InputCount + 1, Layer: l + 1);
                offset += blocks[l].Count;
            }

            return blocks;
        }
    }

    /// <summary>Counts every change of the weights made through <see cref="SetParameters"/> or <see cref="Layer.SetWeights"/>.</summary>
    internal long WeightsVersion
    {
        get
        {
            long version = _version;
            foreach (Layer layer in _layers)
            {
                version += layer.Version;
            }

            return version;
        }
    }

    /// <summary>
    /// Copies all weights into one vector: layer by layer from the input, inside a layer row by
    /// row (w_j0, w_j1, …, w_jD for j = 1, 2, …), i.e. each weight matrix in row-major order.
    /// </summary>
    public Vector<double> GetParameters()
    {
        var values = new double[ParameterCount];
        ParameterOrder.Write(_layers, values);
        return Vector<double>.Build.DenseOfArray(values);
    }

    /// <summary>Sets all weights from a vector in the order of <see cref="GetParameters"/>.</summary>
    /// <exception cref="ArgumentException">The vector has the wrong length or a NaN or infinite entry.</exception>
    public void SetParameters(Vector<double> w)
    {
        NetworkChecks.ValidateParameters(w, ParameterCount);
        ParameterOrder.Read(w.AsArray() ?? w.ToArray(), _layers);
        _version++;
    }

    /// <summary>A deep copy: same architecture and weights, independent from now on.</summary>
    public Mlp Clone() => new(_layers.Select(layer => new Layer(DenseMatrix.OfMatrix(layer.Weights), layer.Activation)).ToArray());

    /// <summary>
    /// Step 1 of the learning algorithm: forward-propagates one input vector and stores the
    /// activations a_j = Σ_i w_ji z_i (with z_0 = 1) and outputs z_j = h(a_j) of every layer.
    /// </summary>
    /// <exception cref="ArgumentException">x has the wrong length or a NaN or infinite entry, or a weight is not finite.</exception>
    public ForwardPass Forward(Vector<double> x)
    {
        NetworkChecks.ValidateInput(x, InputCount);
        var a = new Vector<double>[_layers.Length];
        var z = new Vector<double>[_layers.Length + 1];
        z[0] = Vector<double>.Build.DenseOfVector(x);
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer layer = _layers[l];
            a[l] = layer.Weights * WithBias(z[l]);                   // a_j = Σ_{i=0}^{D} w_ji z_i, z_0 = 1
            z[l + 1] = a[l].Map(layer.Activation.Value);             // z_j = h(a_j)
        }

        NetworkChecks.EnsureFiniteOutput(z[^1].AsArray(), _layers);
        return new ForwardPass(this, a, z);
    }

    /// <summary>
    /// Steps 2–4 of the learning algorithm for one sample: the output deltas δ_k = ∂L_n/∂a_k,
    /// the hidden deltas δ_j = h'(a_j) Σ_k w_kj δ_k layer by layer towards the input, and every
    /// weight's derivative ∂L_n/∂w_ji = δ_j z_i (δ × input, with z_0 = 1 for the bias).
    /// </summary>
    /// <param name="pass">The stored forward pass of this sample, made by this network at its current weights.</param>
    /// <param name="target">The target vector t.</param>
    /// <param name="loss">The error function L_n.</param>
    /// <exception cref="ArgumentException">The pass is another network's or older than the weights, the target has
    /// the wrong width or invalid entries, or the loss does not fit the outputs.</exception>
    public Gradients Backward(ForwardPass pass, Vector<double> target, Loss loss)
    {
        NetworkChecks.ValidateBackward(this, pass, target, loss);
        int last = _layers.Length - 1;
        var delta = new Vector<double>[_layers.Length];
        var dw = new Matrix<double>[_layers.Length];

        // Step 2: δ_k = ∂L_n/∂a_k for the output units.
        (double lossValue, delta[last]) = loss.ValueAndDelta(pass.Output, target, _layers[last].Activation);
        NetworkChecks.EnsureFiniteLoss(lossValue);

        for (int l = last; l >= 0; l--)
        {
            // Step 4: ∂L_n/∂w_ji = δ_j z_i, with z_0 = 1 for the bias column.
            dw[l] = delta[l].OuterProduct(WithBias(pass.Z(l)));                     // layer l + 1 reads z⁽ˡ⁾

            // Step 3: δ_j = h'(a_j) Σ_k w_kj δ_k for the layer below, h' taken from the stored z_j (the bias column 0 feeds no unit).
            if (l > 0)
            {
                Vector<double> backSum = _layers[l].Weights.RemoveColumn(0).TransposeThisAndMultiply(delta[l]);  // Σ_k w_kj δ_k
                Activation h = _layers[l - 1].Activation;
                delta[l - 1] = pass.Z(l).Map(z => h.DerivativeFromOutput(z)).PointwiseMultiply(backSum);        // h'(a_j) from z_j
            }
        }

        return new Gradients(lossValue, delta, dw);
    }

    // The batched forms below are the same equations, one row per sample, by the fast path behind BatchPath.

    /// <summary>The forward pass over a batch, one row per sample, computed with matrix products: A = [1 | Z] Wᵀ.</summary>
    /// <remarks>The pass keeps checksums of its matrices so that <see cref="Backward(BatchForwardPass, Matrix{double}, Loss)"/>
    /// can refuse one edited after Forward; the kit's own passes that no caller sees (training, Predict, the loss) skip that work.</remarks>
    /// <exception cref="ArgumentException">inputs has the wrong number of columns or a NaN or infinite entry.</exception>
    public BatchForwardPass Forward(Matrix<double> inputs) => BatchPath.Forward(this, inputs, fingerprint: true);

    /// <summary>
    /// The backward pass over a batch: the deltas of every sample as matrices and the gradient of
    /// the summed loss L = Σ_n L_n, ∂L/∂W = Δᵀ [1 | Z] (the sum over samples of δ × input).
    /// </summary>
    /// <exception cref="ArgumentException">The pass is another network's or older than the weights, or the targets or loss do not fit.</exception>
    public BatchGradients Backward(BatchForwardPass pass, Matrix<double> targets, Loss loss) => BatchPath.Backward(this, pass, targets, loss);

    /// <summary>The network's outputs for every row of inputs (one row per sample).</summary>
    public Matrix<double> Predict(Matrix<double> inputs) => BatchPath.Forward(this, inputs, fingerprint: false).Outputs;

    /// <summary>The network's outputs y for one input x.</summary>
    public Vector<double> Predict(Vector<double> x) => BatchPath.Predict(this, x);

    /// <summary>The summed loss L = Σ_n L_n over a data set.</summary>
    public double ComputeLoss(Matrix<double> inputs, Matrix<double> targets, Loss loss) => BatchPath.ComputeLoss(this, inputs, targets, loss);

    /// <summary>
    /// The summed loss L = Σ_n L_n and its gradient ∇L in parameter order (see
    /// <see cref="GetParameters"/>), by one batched forward and backward pass. The gradient is a
    /// fresh vector on every call — the shape MathNet's <c>ObjectiveFunction.Gradient</c> expects.
    /// </summary>
    public (double Loss, Vector<double> Gradient) LossAndGradient(Matrix<double> inputs, Matrix<double> targets, Loss loss) =>
        BatchPath.LossAndGradient(this, inputs, targets, loss);

    /// <inheritdoc/>
    public override string ToString() =>
        $"Mlp {string.Join("-", LayerSizes)} ({string.Join(", ", _layers.Select(layer => layer.Activation.Name))}), {ParameterCount} parameters";

    /// <summary>The layer's input with the bias input in front: (z_0 = 1, z_1, …, z_D).</summary>
    private static Vector<double> WithBias(Vector<double> z) => Vector<double>.Build.DenseOfArray([1.0, .. z]);
}
