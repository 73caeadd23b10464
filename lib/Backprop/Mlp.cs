using System.Globalization;
using System.Numerics.Tensors;
using Backprop.Kernels;
using MathNet.Numerics.LinearAlgebra;

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

    /// <summary>Builds a network with one activation per weight layer and weights drawn from a seed.</summary>
    /// <param name="layerSizes">Units per layer from the input: e.g. {D, M, K} for the lecture's two-layer network.</param>
    /// <param name="activations">The activation of each weight layer; <c>activations.Length == layerSizes.Length − 1</c>.</param>
    /// <param name="seed">The seed of the weight draw: the same seed gives the same network.</param>
    /// <param name="initialisation">How weights are drawn for every layer; null picks LeCun for
    /// logistic, tanh and identity layers and He for the ReLU family. Biases start at 0.</param>
    /// <exception cref="ArgumentException">Fewer than two sizes, a size below 1, or the wrong number of activations.</exception>
    public Mlp(int[] layerSizes, Activation[] activations, int seed, Initialisation? initialisation = null)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        ArgumentNullException.ThrowIfNull(activations);
        ValidateSizes(layerSizes, activations);

        var random = new Gaussian(seed);
        _layers = new Layer[activations.Length];
        for (int l = 0; l < _layers.Length; l++)
        {
            int fanIn = layerSizes[l];
            int fanOut = layerSizes[l + 1];
            Initialisation init = initialisation ?? Initialisation.DefaultFor(activations[l]);
            var w = Matrix<double>.Build.Dense(fanOut, fanIn + 1);

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
        : this(layerSizes, SpreadActivations(layerSizes, hidden, output), seed, initialisation)
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
    public int ParameterCount => _layers.Sum(layer => layer.Weights.RowCount * layer.Weights.ColumnCount);

    /// <summary>Where each layer's weights sit in the parameter vector, named w(1), w(2), … as in the lecture.</summary>
    public IReadOnlyList<ParameterBlock> ParameterLayout
    {
        get
        {
            var blocks = new ParameterBlock[_layers.Length];
            int offset = 0;
            for (int l = 0; l < _layers.Length; l++)
            {
                Matrix<double> w = _layers[l].Weights;
                blocks[l] = new ParameterBlock(string.Create(CultureInfo.InvariantCulture, $"w({l + 1})"), offset, w.RowCount, w.ColumnCount);
                offset += blocks[l].Count;
            }

            return blocks;
        }
    }

    /// <summary>
    /// Copies all weights into one vector: layer by layer from the input, inside a layer row by
    /// row (w_j0, w_j1, …, w_jD for j = 1, 2, …), i.e. each weight matrix in row-major order.
    /// </summary>
    public Vector<double> GetParameters()
    {
        var values = new double[ParameterCount];
        int offset = 0;
        foreach (Layer layer in _layers)
        {
            Matrix<double> w = layer.Weights;
            Elementwise.ToRowMajor(ColumnMajor(w), w.RowCount, w.ColumnCount, values.AsSpan(offset));
            offset += w.RowCount * w.ColumnCount;
        }

        return Vector<double>.Build.DenseOfArray(values);
    }

    /// <summary>Sets all weights from a vector in the order of <see cref="GetParameters"/>.</summary>
    /// <exception cref="ArgumentException">The vector has the wrong length or a NaN or infinite entry.</exception>
    public void SetParameters(Vector<double> w)
    {
        Guard.Length(w, ParameterCount, nameof(w), "one entry per weight and bias");
        double[] values = w.AsArray() ?? w.ToArray();
        if (!Elementwise.AllFinite(values))
        {
            Guard.Finite(w, nameof(w));
        }

        int offset = 0;
        foreach (Layer layer in _layers)
        {
            Matrix<double> weights = layer.Weights;
            int count = weights.RowCount * weights.ColumnCount;
            if (weights.AsColumnMajorArray() is double[] storage)
            {
                Elementwise.FromRowMajor(values.AsSpan(offset, count), weights.RowCount, weights.ColumnCount, storage);
            }
            else
            {
                ParameterOrder.CopyFromRowMajor(values.AsSpan(offset, count), weights);
            }

            offset += count;
        }
    }

    /// <summary>A deep copy: same architecture and weights, independent from now on.</summary>
    public Mlp Clone() => new(_layers.Select(layer => new Layer(layer.Weights.Clone(), layer.Activation)).ToArray());

    /// <summary>
    /// Step 1 of the learning algorithm: forward-propagates one input vector and stores the
    /// activations a_j = Σ_i w_ji z_i (with z_0 = 1) and outputs z_j = h(a_j) of every layer.
    /// </summary>
    /// <exception cref="ArgumentException">x has the wrong length or a NaN or infinite entry, or a weight is not finite.</exception>
    public ForwardPass Forward(Vector<double> x)
    {
        Guard.Length(x, InputCount, nameof(x), "one entry per network input");
        double[] input = x.ToArray();
        if (!Elementwise.AllFinite(input))
        {
            Guard.Finite(x, nameof(x));
        }

        var a = new Vector<double>[_layers.Length];
        var z = new Vector<double>[_layers.Length + 1];
        z[0] = Vector<double>.Build.DenseOfArray(input);
        double[] zl = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer layer = _layers[l];
            double[] w = ColumnMajor(layer.Weights);
            int units = layer.UnitCount;
            var al = new double[units];
            Array.Copy(w, al, units);                                            // w_j0 z_0 with z_0 = 1
            Gemm.MatVec(units, layer.InputCount, w, units, units, zl, al, accumulate: true); // a_j = Σ_{i=0}^{D} w_ji z_i
            var zNext = new double[units];
            layer.Activation.Value(al, zNext);                                   // z_j = h(a_j)
            a[l] = Vector<double>.Build.DenseOfArray(al);
            z[l + 1] = Vector<double>.Build.DenseOfArray(zNext);
            zl = zNext;
        }

        EnsureFiniteOutput(zl);
        return new ForwardPass(a, z);
    }

    /// <summary>
    /// Steps 2–4 of the learning algorithm for one sample: the output deltas δ_k = ∂L_n/∂a_k,
    /// the hidden deltas δ_j = h'(a_j) Σ_k w_kj δ_k layer by layer towards the input, and every
    /// weight's derivative ∂L_n/∂w_ji = δ_j z_i (δ × input, with z_0 = 1 for the bias).
    /// </summary>
    /// <param name="pass">The stored forward pass of this sample.</param>
    /// <param name="target">The target vector t.</param>
    /// <param name="loss">The error function L_n.</param>
    /// <exception cref="ArgumentException">The target has the wrong width or invalid entries, or the loss does not fit the output activation.</exception>
    public Gradients Backward(ForwardPass pass, Vector<double> target, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(loss);
        CheckPassShape(pass.A.Count, pass.Output.Count);
        CheckPassLayers(l => (pass.A[l].Count, pass.Z[l].Count));
        Guard.Length(target, OutputCount, nameof(target), "one target per network output");
        loss.ValidateOutput(_layers[^1].Activation);
        double[] t = target.AsArray() ?? target.ToArray();
        loss.ValidateTargets(t, nameof(target));

        int last = _layers.Length - 1;
        var delta = new Vector<double>[_layers.Length];
        var dw = new Matrix<double>[_layers.Length];

        // Step 2: output deltas δ_k = ∂L_n/∂a_k.
        var deltaL = new double[OutputCount];
        double lossValue = loss.ValueAndDelta(ColumnMajor(pass.Output), t, _layers[last].Activation, deltaL);
        EnsureFiniteLoss(lossValue);

        for (int l = last; l >= 0; l--)
        {
            Layer layer = _layers[l];
            int units = layer.UnitCount;
            int inputs = layer.InputCount;
            delta[l] = Vector<double>.Build.DenseOfArray(deltaL);

            // Step 4: ∂L_n/∂w_ji = δ_j z_i, with z_0 = 1 giving the bias column.
            double[] zl = ColumnMajor(pass.Z[l]);
            var g = new double[units * (inputs + 1)];
            deltaL.CopyTo(g, 0);
            for (int i = 0; i < inputs; i++)
            {
                TensorPrimitives.Multiply(deltaL, zl[i], g.AsSpan((i + 1) * units, units));
            }

            dw[l] = Matrix<double>.Build.Dense(units, inputs + 1, g);

            if (l > 0)
            {
                // Step 3: δ_j = h'(a_j) Σ_k w_kj δ_k, with h' taken from the stored z_j.
                double[] w = ColumnMajor(layer.Weights);
                var previous = new double[inputs];
                _layers[l - 1].Activation.DerivativeFromOutput(zl, previous);
                for (int j = 0; j < inputs; j++)
                {
                    previous[j] *= TensorPrimitives.Dot(w.AsSpan((j + 1) * units, units), deltaL); // Σ_k w_kj δ_k
                }

                deltaL = previous;
            }
        }

        return new Gradients(lossValue, delta, dw);
    }

    /// <summary>The forward pass over a batch, one row per sample, computed with matrix products: A = [1 | Z] Wᵀ.</summary>
    /// <exception cref="ArgumentException">inputs has the wrong number of columns or a NaN or infinite entry.</exception>
    public BatchForwardPass Forward(Matrix<double> inputs)
    {
        Guard.Columns(inputs, InputCount, nameof(inputs), "one column per network input, one row per sample");
        double[] x = inputs.ToColumnMajorArray();
        if (!Elementwise.AllFinite(x))
        {
            Guard.Finite(inputs, nameof(inputs));
        }

        int n = inputs.RowCount;
        var a = new Matrix<double>[_layers.Length];
        var z = new Matrix<double>[_layers.Length + 1];
        z[0] = Matrix<double>.Build.Dense(n, InputCount, x);
        double[] zl = x;
        for (int l = 0; l < _layers.Length; l++)
        {
            Layer layer = _layers[l];
            int units = layer.UnitCount;
            double[] w = ColumnMajor(layer.Weights);
            double[] al = GC.AllocateUninitializedArray<double>(n * units);
            for (int j = 0; j < units; j++)
            {
                al.AsSpan(j * n, n).Fill(w[j]);                 // w_j0 z_0 with z_0 = 1
            }

            // Row n: a = W (1, z_n), i.e. A(n, j) += Σ_i Z(n, i) w_j,i+1.
            Gemm.Multiply(
                n, units, layer.InputCount,
                zl, 0, 1, n,
                w, units, units, 1,
                al, 0, 1, n,
                accumulate: true);
            double[] zNext = GC.AllocateUninitializedArray<double>(n * units);
            Elementwise.Value(layer.Activation, al, zNext);     // z_j = h(a_j)
            a[l] = Matrix<double>.Build.Dense(n, units, al);
            z[l + 1] = Matrix<double>.Build.Dense(n, units, zNext);
            zl = zNext;
        }

        EnsureFiniteOutput(zl);
        return new BatchForwardPass(a, z);
    }

    /// <summary>
    /// The backward pass over a batch: the deltas of every sample as matrices and the gradient of
    /// the summed loss L = Σ_n L_n, ∂L/∂W = Δᵀ [1 | Z] (the sum over samples of δ × input).
    /// </summary>
    public BatchGradients Backward(BatchForwardPass pass, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(loss);
        CheckPassShape(pass.A.Count, pass.Outputs.ColumnCount);
        CheckPassLayers(l => (pass.A[l].ColumnCount, pass.Z[l].ColumnCount));
        int n = pass.SampleCount;
        Guard.Shape(targets, n, OutputCount, nameof(targets), "one row per sample, one column per network output");
        loss.ValidateOutput(_layers[^1].Activation);

        var delta = new Matrix<double>[_layers.Length];
        var dw = new Matrix<double>[_layers.Length];
        double lossValue = BackwardCore(pass, targets, loss, delta, dw, gradient: null);
        return new BatchGradients(lossValue, delta, dw);
    }

    /// <summary>The network's outputs for every row of inputs (one row per sample).</summary>
    public Matrix<double> Predict(Matrix<double> inputs) => Forward(inputs).Outputs;

    /// <summary>The network's outputs y for one input x.</summary>
    public Vector<double> Predict(Vector<double> x) => Forward(x).Output;

    /// <summary>The summed loss L = Σ_n L_n over a data set.</summary>
    public double ComputeLoss(Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        BatchForwardPass pass = Forward(inputs);
        Guard.Shape(targets, pass.SampleCount, OutputCount, nameof(targets), "one row per sample, one column per network output");
        loss.ValidateOutput(_layers[^1].Activation);
        OutputDeltas(ColumnMajor(pass.Outputs), targets, loss, out double value);
        EnsureFiniteLoss(value);
        return value;
    }

    /// <summary>
    /// The summed loss L = Σ_n L_n and its gradient ∇L in parameter order (see
    /// <see cref="GetParameters"/>), by one batched forward and backward pass. The gradient is a
    /// fresh vector on every call — the shape MathNet's <c>ObjectiveFunction.Gradient</c> expects.
    /// </summary>
    public (double Loss, Vector<double> Gradient) LossAndGradient(Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        BatchForwardPass pass = Forward(inputs);
        ArgumentNullException.ThrowIfNull(loss);
        Guard.Shape(targets, pass.SampleCount, OutputCount, nameof(targets), "one row per sample, one column per network output");
        loss.ValidateOutput(_layers[^1].Activation);
        double[] gradient = GC.AllocateUninitializedArray<double>(ParameterCount);
        double lossValue = BackwardCore(pass, targets, loss, new Matrix<double>[_layers.Length], dw: null, gradient);
        return (lossValue, Vector<double>.Build.DenseOfArray(gradient));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Mlp {string.Join("-", LayerSizes)} ({string.Join(", ", _layers.Select(layer => layer.Activation.Name))}), {ParameterCount} parameters";

    /// <summary>The storage of a dense matrix (column-major), or a column-major copy of any other matrix.</summary>
    private static double[] ColumnMajor(Matrix<double> m) => m.AsColumnMajorArray() ?? m.ToColumnMajorArray();

    /// <summary>The storage of a dense vector, or a copy of any other vector.</summary>
    private static double[] ColumnMajor(Vector<double> v) => v.AsArray() ?? v.ToArray();

    /// <summary>
    /// Steps 2–4 over a batch: output deltas Δ, then for each layer towards the input the
    /// gradient ∂L/∂W = Δᵀ [1 | Z] and the deltas of the layer below, Δ ← h'(Z) ⊙ (Δ W) without
    /// the bias column. The gradient goes either into matrices (dw) or, in parameter order, into gradient.
    /// </summary>
    private double BackwardCore(BatchForwardPass pass, Matrix<double> targets, Loss loss, Matrix<double>[] delta, Matrix<double>[]? dw, double[]? gradient)
    {
        int n = pass.SampleCount;
        int last = _layers.Length - 1;
        double[] deltaL = OutputDeltas(ColumnMajor(pass.Outputs), targets, loss, out double lossValue);
        EnsureFiniteLoss(lossValue);

        int offset = ParameterCount;
        for (int l = last; l >= 0; l--)
        {
            Layer layer = _layers[l];
            int units = layer.UnitCount;
            int inputs = layer.InputCount;
            offset -= units * (inputs + 1);
            delta[l] = Matrix<double>.Build.Dense(n, units, deltaL);
            double[] zl = ColumnMajor(pass.Z[l]);

            // Σ_n δ_j z_i: the bias column Σ_n δ_j, then Δᵀ Z, written as a matrix or row by row into the gradient.
            if (dw is not null)
            {
                double[] g = GC.AllocateUninitializedArray<double>(units * (inputs + 1));
                for (int j = 0; j < units; j++)
                {
                    g[j] = TensorPrimitives.Sum(deltaL.AsSpan(j * n, n));
                }

                Gemm.Multiply(units, inputs, n, deltaL, 0, n, 1, zl, 0, 1, n, g, units, 1, units, accumulate: false);
                dw[l] = Matrix<double>.Build.Dense(units, inputs + 1, g);
            }
            else
            {
                for (int j = 0; j < units; j++)
                {
                    gradient![offset + (j * (inputs + 1))] = TensorPrimitives.Sum(deltaL.AsSpan(j * n, n));
                }

                Gemm.Multiply(units, inputs, n, deltaL, 0, n, 1, zl, 0, 1, n, gradient!, offset + 1, inputs + 1, 1, accumulate: false);
            }

            if (l > 0)
            {
                // Row n: Σ_k δ_k w_ki for i = 1 … D (the bias column 0 of W is skipped), then δ_j = h'(a_j) Σ_k w_kj δ_k.
                double[] w = ColumnMajor(layer.Weights);
                double[] back = GC.AllocateUninitializedArray<double>(n * inputs);
                Gemm.Multiply(n, inputs, units, deltaL, 0, 1, n, w, units, 1, units, back, 0, 1, n, accumulate: false);
                double[] previous = GC.AllocateUninitializedArray<double>(n * inputs);
                Elementwise.DerivativeFromOutput(_layers[l - 1].Activation, zl, previous);
                TensorPrimitives.Multiply(previous, back, previous);
                deltaL = previous;
            }
        }

        return lossValue;
    }

    private double[] OutputDeltas(double[] outputs, Matrix<double> targets, Loss loss, out double lossValue)
    {
        int k = OutputCount;
        int n = outputs.Length / k;
        double[] t = ColumnMajor(targets);
        var delta = new double[n * k];
        Span<double> yRow = k <= 128 ? stackalloc double[k] : new double[k];
        Span<double> tRow = k <= 128 ? stackalloc double[k] : new double[k];
        Span<double> dRow = k <= 128 ? stackalloc double[k] : new double[k];
        Activation output = _layers[^1].Activation;
        lossValue = 0.0;
        for (int row = 0; row < n; row++)
        {
            for (int col = 0; col < k; col++)
            {
                yRow[col] = outputs[(col * n) + row];
                tRow[col] = t[(col * n) + row];
            }

            ValidateTargetRow(loss, tRow, row);
            lossValue += loss.ValueAndDelta(yRow, tRow, output, dRow);
            for (int col = 0; col < k; col++)
            {
                delta[(col * n) + row] = dRow[col];
            }
        }

        return delta;
    }

    /// <summary>Validates one row of targets; the argument name "targets row N" is only formatted when the row is invalid.</summary>
    private static void ValidateTargetRow(Loss loss, ReadOnlySpan<double> t, int row)
    {
        try
        {
            loss.ValidateTargets(t, "targets");
        }
        catch (ArgumentException)
        {
            loss.ValidateTargets(t, string.Create(CultureInfo.InvariantCulture, $"targets row {row}"));
            throw;
        }
    }

    private void CheckPassShape(int layerCount, int outputCount)
    {
        if (layerCount != _layers.Length || outputCount != OutputCount)
        {
            throw new ArgumentException(
                $"The forward pass has {layerCount} layers and {outputCount} outputs, but this network has {_layers.Length} layers and {OutputCount} outputs; pass a ForwardPass made by this network.",
                "pass");
        }
    }

    /// <summary>Same depth and outputs is not enough: every layer's a and z must fit this network's weights.</summary>
    private void CheckPassLayers(Func<int, (int Units, int Inputs)> shape)
    {
        for (int l = 0; l < _layers.Length; l++)
        {
            (int units, int inputs) = shape(l);
            if (units != _layers[l].UnitCount || inputs != _layers[l].InputCount)
            {
                throw new ArgumentException(
                    $"The forward pass's layer {l} maps {inputs} inputs to {units} units, but this network's Layers[{l}] maps {_layers[l].InputCount} inputs to {_layers[l].UnitCount} units; pass a ForwardPass made by this network.",
                    "pass");
            }
        }
    }

    /// <summary>
    /// Never hands out NaN silently: when the outputs are not finite, or a weight is NaN or infinite
    /// behind a saturating unit (tanh(±∞) = ±1 hides it until the backward pass computes 0 · ∞),
    /// finds the cause — a weight that is NaN or infinite, or finite weights so large that the
    /// activations overflowed.
    /// </summary>
    private void EnsureFiniteOutput(double[] outputs)
    {
        if (Elementwise.AllFinite(outputs) && Array.TrueForAll(_layers, layer => Elementwise.AllFinite(ColumnMajor(layer.Weights))))
        {
            return;
        }

        for (int l = 0; l < _layers.Length; l++)
        {
            int index = Guard.FirstNonFinite(_layers[l].Weights);
            if (index >= 0)
            {
                int rows = _layers[l].Weights.RowCount;
                throw new ArgumentException(
                    $"Layers[{l}].Weights[{index % rows}, {index / rows}] (a weight of w({l + 1})) is {Guard.Describe(_layers[l].Weights[index % rows, index / rows])}; every weight must be a finite number. If this happened during training, the learning rate is probably too large.",
                    "Weights");
            }
        }

        throw new ArithmeticException(
            "The network's outputs overflowed to infinity although the inputs and weights are finite: the weights are too large. If this happened during training, it diverged; lower the learning rate.");
    }

    private static void EnsureFiniteLoss(double loss)
    {
        if (!double.IsFinite(loss))
        {
            throw new ArithmeticException(
                $"The loss overflowed to {Guard.Describe(loss)} although the outputs are finite: the outputs are too far from the targets. If this happened during training, it diverged; lower the learning rate.");
        }
    }

    private static void ValidateSizes(int[] layerSizes, Activation[] activations)
    {
        if (layerSizes.Length < 2)
        {
            throw new ArgumentException(
                $"layerSizes must list at least two sizes (inputs and outputs), but it has {layerSizes.Length}.", nameof(layerSizes));
        }

        for (int l = 0; l < layerSizes.Length; l++)
        {
            if (layerSizes[l] < 1)
            {
                throw new ArgumentException(
                    $"layerSizes[{l}] must be at least 1, but it is {layerSizes[l]}.", nameof(layerSizes));
            }
        }

        if (activations.Length != layerSizes.Length - 1)
        {
            throw new ArgumentException(
                $"activations must have one entry per weight layer, layerSizes.Length − 1 = {layerSizes.Length - 1}, but it has {activations.Length}.",
                nameof(activations));
        }

        for (int l = 0; l < activations.Length; l++)
        {
            if (activations[l] is null)
            {
                throw new ArgumentException($"activations[{l}] is null.", nameof(activations));
            }
        }
    }

    private static Activation[] SpreadActivations(int[] layerSizes, Activation hidden, Activation output)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(output);
        if (layerSizes.Length < 2)
        {
            throw new ArgumentException(
                $"layerSizes must list at least two sizes (inputs and outputs), but it has {layerSizes.Length}.", nameof(layerSizes));
        }

        var activations = new Activation[layerSizes.Length - 1];
        Array.Fill(activations, hidden);
        activations[^1] = output;
        return activations;
    }
}
