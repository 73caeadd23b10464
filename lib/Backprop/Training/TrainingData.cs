using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// A training run's data, checked once against the network before the run starts: the training set (inputs, targets,
/// one row per sample), the loss, and the optional validation set. The runs and the history recorder read it; it
/// evaluates the network on the whole training set and measures the validation metrics.
/// </summary>
internal sealed class TrainingData
{
    private TrainingData(Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation)
    {
        Inputs = inputs;
        Targets = targets;
        Loss = loss;
        Validation = validation;
    }

    public Matrix<double> Inputs { get; }

    public Matrix<double> Targets { get; }

    public Loss Loss { get; }

    public Dataset? Validation { get; }

    /// <summary>The number of training samples N (≥ 1).</summary>
    public int Count => Inputs.RowCount;

    /// <summary>Checks the training run's arguments against the network; throws naming the first problem.</summary>
    public static TrainingData Validated(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, Dataset? validation)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(loss);
        Guard.Columns(inputs, net.InputCount, nameof(inputs), "one column per network input, one row per sample");
        Guard.Shape(targets, inputs.RowCount, net.OutputCount, nameof(targets), "one row per sample, one column per network output");
        if (inputs.RowCount < 1)
        {
            throw new ArgumentException("inputs must have at least one row (sample), but it has 0.", nameof(inputs));
        }

        loss.ValidateOutput(net.Layers[^1].Activation);
        if (validation is not null)
        {
            ValidateValidationSet(net, loss, validation);
        }

        return new TrainingData(inputs, targets, loss, validation);
    }

    /// <summary>One forward and backward pass over the whole training set at the current weights.</summary>
    /// <param name="net">The network being trained.</param>
    /// <param name="fingerprint">Whether the pass keeps its checksums (when an observer will see it).</param>
    public (BatchForwardPass Pass, BatchGradients Gradients) Evaluate(Mlp net, bool fingerprint)
    {
        BatchForwardPass pass = BatchPath.Forward(net, Inputs, fingerprint);
        return (pass, net.Backward(pass, Targets, Loss));
    }

    /// <summary>The mean loss and accuracy on the validation set at the current weights, NaN without one.</summary>
    public (double MeanLoss, double Accuracy) ValidationMetrics(Mlp net)
    {
        if (Validation is null)
        {
            return (double.NaN, double.NaN);
        }

        Matrix<double> outputs = net.Predict(Validation.Inputs);
        bool classes = Validation.TargetCount >= 2 && Guard.FirstNonFinite(outputs) < 0; // no arg max of a NaN output
        return (LossOf(outputs, Validation.Targets) / Validation.Count, classes ? Metrics.Accuracy(outputs, Validation.Targets) : double.NaN);
    }

    private static void ValidateValidationSet(Mlp net, Loss loss, Dataset validation)
    {
        validation.Validate();
        if (validation.Count < 1)
        {
            throw new ArgumentException(
                $"validation ({validation.Name}) has no samples: its loss and accuracy would be 0 / 0. Pass a validation set with at least one row, or null for none.",
                nameof(validation));
        }

        Guard.Columns(validation.Inputs, net.InputCount, nameof(validation), "validation inputs with one column per network input");
        Guard.Columns(validation.Targets, net.OutputCount, nameof(validation), "validation targets with one column per network output");
        for (int row = 0; row < validation.Count; row++)
        {
            loss.ValidateTargets(validation.Targets.Row(row).ToArray(), $"validation.Targets row {row}");
        }
    }

    private double LossOf(Matrix<double> outputs, Matrix<double> targets)
    {
        double[] y = new double[outputs.ColumnCount];
        double[] t = new double[outputs.ColumnCount];
        double sum = 0.0;
        for (int row = 0; row < outputs.RowCount; row++)
        {
            for (int k = 0; k < y.Length; k++)
            {
                y[k] = outputs[row, k];
                t[k] = targets[row, k];
            }

            sum += Loss.Value(y, t);
        }

        return sum;
    }
}
