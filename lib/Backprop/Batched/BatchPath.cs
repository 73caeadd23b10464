using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The one way into the fast batched passes (<see cref="BatchPasses"/> and the kernels below them): every method checks its
/// arguments first (<see cref="NetworkChecks"/>), then runs the passes, then checks what they computed (finite outputs, a
/// finite loss) before anything is handed on. The passes and kernels check nothing and call nothing above them.
/// </summary>
internal static class BatchPath
{
    /// <summary>The batch forward pass of <see cref="Mlp.Forward(Matrix{double})"/>; <paramref name="fingerprint"/> as in <see cref="BatchForwardPass"/>.</summary>
    public static BatchForwardPass Forward(Mlp net, Matrix<double> inputs, bool fingerprint)
    {
        NetworkChecks.ValidateInputs(inputs, net.InputCount);
        (Matrix<double>[] a, Matrix<double>[] z) = BatchPasses.Forward(net.Layers, inputs);
        NetworkChecks.EnsureFiniteOutput(z[^1].AsColumnMajorArray(), net.Layers);
        return new BatchForwardPass(net, net.WeightsVersion, a, z, fingerprint);
    }

    /// <summary>The batch backward pass of <see cref="Mlp.Backward(BatchForwardPass, Matrix{double}, Loss)"/>.</summary>
    public static BatchGradients Backward(Mlp net, BatchForwardPass pass, Matrix<double> targets, Loss loss)
    {
        NetworkChecks.ValidateBackward(net, pass, targets, loss);
        var delta = new Matrix<double>[net.Layers.Count];
        var dw = new Matrix<double>[net.Layers.Count];
        double lossValue = Backward(net.Layers, pass.Outputs0, targets, loss, delta, dw, gradient: null);
        return new BatchGradients(lossValue, delta, dw);
    }

    /// <summary>The outputs for one input, by the batched pass on one row, without the stored a and z a ForwardPass keeps.</summary>
    public static Vector<double> Predict(Mlp net, Vector<double> x)
    {
        NetworkChecks.ValidateInput(x, net.InputCount);
        (_, Matrix<double>[] z) = BatchPasses.Forward(net.Layers, x.ToRowMatrix());
        NetworkChecks.EnsureFiniteOutput(z[^1].AsColumnMajorArray(), net.Layers);
        return z[^1].Row(0);
    }

    /// <summary>The summed loss of <see cref="Mlp.ComputeLoss"/>.</summary>
    public static double ComputeLoss(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        BatchForwardPass pass = Forward(net, inputs, fingerprint: false);
        NetworkChecks.ValidateTargets(targets, pass.SampleCount, net.OutputCount);
        NetworkChecks.ValidateLoss(loss, net);
        NetworkChecks.ValidateTargetRows(loss, targets);
        BatchPasses.OutputDeltas(net.Layers[^1].Activation, pass.Outputs, targets, loss, out double value);
        NetworkChecks.EnsureFiniteLoss(value);
        return value;
    }

    /// <summary>The summed loss and its gradient in parameter order, as <see cref="Mlp.LossAndGradient"/> returns them.</summary>
    public static (double Loss, Vector<double> Gradient) LossAndGradient(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        BatchForwardPass pass = Forward(net, inputs, fingerprint: false);
        ArgumentNullException.ThrowIfNull(loss);
        NetworkChecks.ValidateTargets(targets, pass.SampleCount, net.OutputCount);
        NetworkChecks.ValidateLoss(loss, net);
        double[] gradient = GC.AllocateUninitializedArray<double>(net.ParameterCount);
        double lossValue = Backward(net.Layers, pass.Outputs0, targets, loss, new Matrix<double>[net.Layers.Count], dw: null, gradient);
        return (lossValue, Vector<double>.Build.DenseOfArray(gradient));
    }

    /// <summary>Steps 2–4 over targets whose shape is checked: each row checked, the output deltas, a finite loss, then back.</summary>
    private static double Backward(
        IReadOnlyList<Layer> layers, IReadOnlyList<Matrix<double>> z, Matrix<double> targets, Loss loss,
        Matrix<double>[] delta, Matrix<double>[]? dw, double[]? gradient)
    {
        NetworkChecks.ValidateTargetRows(loss, targets);
        double[] outputDeltas = BatchPasses.OutputDeltas(layers[^1].Activation, z[^1], targets, loss, out double lossValue);
        NetworkChecks.EnsureFiniteLoss(lossValue);
        BatchPasses.Backward(layers, z, outputDeltas, delta, dw, gradient);
        return lossValue;
    }
}
