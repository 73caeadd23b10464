using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>Checks a training run's arguments, evaluates the network on the whole training set and collects the history.</summary>
internal sealed class HistoryRecorder
{
    private readonly List<TrainingEntry> _entries = [];
    private readonly Stopwatch _clock = new();
    private readonly Mlp _net;
    private readonly Dataset? _validation;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly ITrainingObserver? _observer;

    public HistoryRecorder(
        string optimizer, string stepUnit, Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss,
        Dataset? validation, IProgress<TrainingProgress>? progress, ITrainingObserver? observer)
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

        Optimizer = optimizer;
        StepUnit = stepUnit;
        _net = net;
        Inputs = inputs;
        Targets = targets;
        Loss = loss;
        _validation = validation;
        _progress = progress;
        _observer = observer;
    }

    public string Optimizer { get; }

    public string StepUnit { get; }

    public Matrix<double> Inputs { get; }

    public Matrix<double> Targets { get; }

    public Loss Loss { get; }

    public int Count => Inputs.RowCount;

    public IReadOnlyList<TrainingEntry> Entries => _entries;

    public void StartClock() => _clock.Start();

    public void StopClock() => _clock.Stop();

    /// <summary>One forward and backward pass over the whole training set at the current weights.</summary>
    public (BatchForwardPass Pass, BatchGradients Gradients) Evaluate()
    {
        BatchForwardPass pass = _net.Forward(Inputs);
        return (pass, _net.Backward(pass, Targets, Loss));
    }

    /// <summary>Adds an entry measured from a whole-training-set evaluation at the current weights and shows it to the observer.</summary>
    public TrainingEntry Record(int step, long gradientEvaluations, double passesOverData, BatchForwardPass pass, BatchGradients gradients)
    {
        bool running = _clock.IsRunning;
        _clock.Stop();
        TrainingEntry entry = Add(step, gradientEvaluations, passesOverData, gradients.Loss);
        _observer?.Observe(new TrainingObservation(StepUnit, entry, _net, pass, gradients));
        Resume(running);
        return entry;
    }

    /// <summary>
    /// Adds an entry without evaluating the training set: loss is what the optimiser saw (the sum of the
    /// epoch's batch losses); only the validation set, if any, is evaluated. Observers see no such entry.
    /// </summary>
    public TrainingEntry RecordUnmeasured(int step, long gradientEvaluations, double passesOverData, double loss)
    {
        bool running = _clock.IsRunning;
        _clock.Stop();
        TrainingEntry entry = Add(step, gradientEvaluations, passesOverData, loss);
        Resume(running);
        return entry;
    }

    public TrainingHistory Finish(StopCondition stop, string reason, int iterations)
    {
        _clock.Stop();
        return new TrainingHistory(Optimizer, StepUnit, Count, _entries, stop, reason, iterations);
    }

    /// <summary>The mean loss and accuracy on the validation set at the current weights, NaN without one.</summary>
    private (double MeanLoss, double Accuracy) Validate()
    {
        if (_validation is null)
        {
            return (double.NaN, double.NaN);
        }

        Matrix<double> outputs = _net.Predict(_validation.Inputs);
        bool classes = _validation.TargetCount >= 2 && Guard.FirstNonFinite(outputs) < 0; // no arg max of a NaN output
        return (LossOf(outputs, _validation.Targets) / _validation.Count, classes ? Metrics.Accuracy(outputs, _validation.Targets) : double.NaN);
    }

    private TrainingEntry Add(int step, long gradientEvaluations, double passesOverData, double loss)
    {
        (double validationLoss, double validationAccuracy) = Validate();
        var entry = new TrainingEntry(step, gradientEvaluations, passesOverData, loss, loss / Count, validationLoss, validationAccuracy, _clock.Elapsed);
        _entries.Add(entry);
        _progress?.Report(new TrainingProgress(Optimizer, entry));
        return entry;
    }

    private void Resume(bool running)
    {
        if (running)
        {
            _clock.Start();
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
