using System.Globalization;
using Backprop.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>The argument and result checks of <see cref="Mlp"/>, kept out of its passes so that those read like the lecture.</summary>
internal static class NetworkChecks
{
    /// <summary>The most parameters a network may have: they must fit into one array (the parameter vector).</summary>
    public const long MaxParameterCount = 0x7FFFFFC7; // Array.MaxLength

    public static void ValidateSizes(int[] layerSizes, Activation[] activations)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        ArgumentNullException.ThrowIfNull(activations);
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

        long count = 0;
        for (int l = 0; l + 1 < layerSizes.Length; l++)
        {
            count += (long)layerSizes[l + 1] * (layerSizes[l] + 1L);
        }

        if (count > MaxParameterCount)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The network [{string.Join(", ", layerSizes)}] is too large: it would have {count:N0} weights and biases, but at most {MaxParameterCount:N0} fit into one parameter vector."),
                nameof(layerSizes));
        }
    }

    public static Activation[] SpreadActivations(int[] layerSizes, Activation hidden, Activation output)
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

    /// <summary>x has one finite entry per network input.</summary>
    public static void ValidateInput(Vector<double> x, int inputCount)
    {
        Guard.Length(x, inputCount, nameof(x), "one entry per network input");
        if (!Elementwise.AllFinite(x.AsArray() ?? x.ToArray()))
        {
            Guard.Finite(x, nameof(x));
        }
    }

    /// <summary>w has one finite entry per weight and bias.</summary>
    public static void ValidateParameters(Vector<double> w, int parameterCount)
    {
        Guard.Length(w, parameterCount, nameof(w), "one entry per weight and bias");
        if (!Elementwise.AllFinite(w.AsArray() ?? w.ToArray()))
        {
            Guard.Finite(w, nameof(w));
        }
    }

    /// <summary>inputs has one finite row per sample and one column per network input.</summary>
    public static void ValidateInputs(Matrix<double> inputs, int inputCount)
    {
        Guard.Columns(inputs, inputCount, nameof(inputs), "one column per network input, one row per sample");
        if (!Elementwise.AllFinite(inputs.AsColumnMajorArray() ?? inputs.ToColumnMajorArray()))
        {
            Guard.Finite(inputs, nameof(inputs));
        }
    }

    /// <summary>The loss fits the network's outputs (activation and width); targets are validated row by row later.</summary>
    public static void ValidateLoss(Loss loss, Mlp net)
    {
        ArgumentNullException.ThrowIfNull(loss);
        loss.ValidateOutput(net.Layers[^1].Activation);
        loss.ValidateOutputCount(net.OutputCount, "the network", nameof(loss));
    }

    /// <summary>A single-sample pass fits: made by this network from exactly its current weights, and a valid target.</summary>
    public static void ValidateBackward(Mlp net, ForwardPass pass, Vector<double> target, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(pass);
        if (!ReferenceEquals(pass.Network, net))
        {
            throw new ArgumentException(AnotherNetwork(pass.LayerCount, pass.Output.Count, net, nameof(ForwardPass)), nameof(pass));
        }

        if (!pass.MadeWithWeightsOf(net))
        {
            throw new ArgumentException(
                "This forward pass was made before the weights changed (SetParameters, SetWeights or an edit of net.Layers[l − 1].Weights, the weights w⁽ˡ⁾); run Forward again.",
                nameof(pass));
        }

        if (pass.FirstEdit() is string edit)
        {
            throw new ArgumentException(
                $"This forward pass was changed after Forward: {edit}. Backward reads the stored a and z, so it would compute the gradient of values no network produced. Run Forward again, and to try other values change a copy (e.g. pass.Z(1).Clone()).",
                nameof(pass));
        }

        ValidateLoss(loss, net);
        Guard.Length(target, net.OutputCount, nameof(target), "one target per network output");
        loss.ValidateTargets(target.AsArray() ?? target.ToArray(), nameof(target));
    }

    /// <summary>A batch pass fits: made by this network at the current weights version, and targets of the right shape.</summary>
    public static void ValidateBackward(Mlp net, BatchForwardPass pass, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(pass);
        if (!ReferenceEquals(pass.Network, net))
        {
            throw new ArgumentException(AnotherNetwork(pass.LayerCount, pass.Outputs.ColumnCount, net, nameof(BatchForwardPass)), nameof(pass));
        }

        if (pass.WeightsVersion != net.WeightsVersion)
        {
            throw new ArgumentException(
                "This forward pass was made before the weights changed (SetParameters or SetWeights); run Forward again.",
                nameof(pass));
        }

        if (pass.FirstEdit() is string edited)
        {
            throw new ArgumentException(
                $"This forward pass was changed after Forward: an entry of pass.{edited} differs from what Forward computed. Backward reads the stored a and z, so it would compute the gradient of values no network produced. Run Forward again, and to try other values change a copy (e.g. pass.{edited}.Clone()).",
                nameof(pass));
        }

        ValidateLoss(loss, net);
        ValidateTargets(targets, pass.SampleCount, net.OutputCount);
    }

    private static string AnotherNetwork(int layers, int outputs, Mlp net, string type) =>
        $"This forward pass was made by another network ({layers} layers, {outputs} outputs; this one has {net.Layers.Count} layers, {net.OutputCount} outputs). Even a network of the same shape has other weights, so the gradient would be wrong: pass a {type} made by this network's Forward.";

    public static void ValidateTargets(Matrix<double> targets, int samples, int outputs) =>
        Guard.Shape(targets, samples, outputs, nameof(targets), "one row per sample, one column per network output");

    /// <summary>
    /// Validates every row of targets (whose shape is checked), before any loss is computed from them. Where the loss asks
    /// only for finite targets, one vectorised pass clears the whole batch; row by row is the way to name the first bad row.
    /// </summary>
    public static void ValidateTargetRows(Loss loss, Matrix<double> targets)
    {
        int k = targets.ColumnCount;
        int n = targets.RowCount;
        double[] t = targets.AsColumnMajorArray() ?? targets.ToColumnMajorArray();
        if (loss.TargetsNeedOnlyBeFinite && Elementwise.AllFinite(t))
        {
            return;
        }

        Span<double> row = k <= 128 ? stackalloc double[k] : new double[k];
        for (int r = 0; r < n; r++)
        {
            for (int col = 0; col < k; col++)
            {
                row[col] = t[(col * n) + r];
            }

            ValidateTargetRow(loss, row, r);
        }
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

    /// <summary>
    /// Never hands out NaN silently: when the outputs are not finite, or a weight is NaN or infinite
    /// behind a saturating unit (tanh(±∞) = ±1 hides it until the backward pass computes 0 · ∞),
    /// finds the cause — a weight that is NaN or infinite, or finite weights so large that the
    /// activations overflowed.
    /// </summary>
    public static void EnsureFiniteOutput(ReadOnlySpan<double> outputs, IReadOnlyList<Layer> layers)
    {
        bool weightsFinite = true;
        foreach (Layer layer in layers)
        {
            weightsFinite &= Elementwise.AllFinite(layer.Storage);
        }

        if (weightsFinite && Elementwise.AllFinite(outputs))
        {
            return;
        }

        for (int l = 0; l < layers.Count; l++)
        {
            Matrix<double> w = layers[l].Weights;
            int index = Guard.FirstNonFinite(w);
            if (index >= 0)
            {
                int rows = w.RowCount;
                throw new ArgumentException(
                    $"The weight {Notation.WeightWithIndex(l + 1, (index % rows) + 1, index / rows)} is {Guard.Describe(w[index % rows, index / rows])}; every weight must be a finite number. If this happened during training, the learning rate is probably too large.",
                    "Weights");
            }
        }

        throw new ArithmeticException(
            "The network's outputs overflowed to infinity although the inputs and weights are finite: the weights are too large. If this happened during training, it diverged; lower the learning rate.");
    }

    public static void EnsureFiniteLoss(double loss)
    {
        if (!double.IsFinite(loss))
        {
            throw new ArithmeticException(
                $"The loss overflowed to {Guard.Describe(loss)} although the outputs are finite: the outputs are too far from the targets. If this happened during training, it diverged; lower the learning rate.");
        }
    }
}
