using System.Diagnostics;
using System.Globalization;
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
    private readonly double[][]? _weightsBeforeCallbacks; // a copy of the weights while the caller's progress and observer run

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
        if (progress is not null || observer is not null)
        {
            _weightsBeforeCallbacks = [.. net.Layers.Select(layer => new double[layer.Storage.Length])];
        }
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
        BatchForwardPass pass = BatchPath.Forward(_net, Inputs, fingerprint: _observer is not null); // the observer sees the pass
        return (pass, _net.Backward(pass, Targets, Loss));
    }

    /// <summary>Adds an entry measured from a whole-training-set evaluation at the current weights and shows it to the observer.</summary>
    public TrainingEntry Record(int step, long gradientEvaluations, double passesOverData, BatchForwardPass pass, BatchGradients gradients)
    {
        bool running = _clock.IsRunning;
        _clock.Stop();
        TrainingEntry entry = Add(step, gradientEvaluations, passesOverData, gradients.Loss);
        if (_observer is not null)
        {
            CopyWeights();
            double[][] gradient = [.. gradients.Weights.Select(g => g.ToColumnMajorArray())];
            _observer.Observe(new TrainingObservation(StepUnit, entry, _net, pass, gradients));
            EnsureWeightsUnchanged($"The observer ({_observer.GetType().Name})", entry);
            EnsureGradientsUnchanged($"The observer ({_observer.GetType().Name})", entry, gradients, gradient);
        }

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
        if (_progress is not null)
        {
            CopyWeights();
            _progress.Report(new TrainingProgress(Optimizer, entry));
            EnsureWeightsUnchanged($"The progress report ({_progress.GetType().Name})", entry);
        }

        return entry;
    }

    private void CopyWeights()
    {
        for (int l = 0; l < _net.Layers.Count; l++)
        {
            _net.Layers[l].Storage.CopyTo(_weightsBeforeCallbacks![l], 0);
        }
    }

    /// <summary>
    /// Throws when the caller's progress report or observer changed a weight (they run in the middle of training:
    /// the next step would start from weights the optimiser did not set, and a large change would be reported as
    /// divergence with the advice to lower the learning rate). The weights are put back first.
    /// </summary>
    private void EnsureWeightsUnchanged(string who, TrainingEntry entry)
    {
        for (int l = 0; l < _net.Layers.Count; l++)
        {
            Layer layer = _net.Layers[l];
            double[] now = layer.Storage;
            double[] before = _weightsBeforeCallbacks![l];
            if (now.AsSpan().SequenceEqual(before))
            {
                continue;
            }

            int index = 0;
            while (now[index].Equals(before[index]))
            {
                index++;
            }

            int row = index % layer.UnitCount;
            int column = index / layer.UnitCount;
            string message = string.Create(
                CultureInfo.InvariantCulture,
                $"{who} changed the network's weights during training, at {StepUnit} {entry.Step}: Layers[{l}].Weights[{row}, {column}] (a weight of w({l + 1})) was {Guard.Describe(before[index])} and is now {Guard.Describe(now[index])}. An observer or progress report runs in the middle of training and may only read the network: the optimiser's next step starts from the weights it set, so a change would pass for its own work, or for divergence. Training is stopped and the weights are put back; to change the weights, do it before or after Train.");
            for (int k = l; k < _net.Layers.Count; k++)
            {
                _weightsBeforeCallbacks[k].CopyTo(_net.Layers[k].Storage, 0);
                _net.Layers[k].MarkUpdated();
            }

            throw new InvalidOperationException(message);
        }
    }

    /// <summary>
    /// Throws when the observer changed the gradient it was shown: the optimisers go on with it (batch descent's next
    /// step, the line search's direction), so an edit would silently steer training.
    /// </summary>
    private void EnsureGradientsUnchanged(string who, TrainingEntry entry, BatchGradients gradients, double[][] before)
    {
        for (int l = 0; l < before.Length; l++)
        {
            Matrix<double> now = gradients.Weights[l];
            double[] values = now.AsColumnMajorArray() ?? now.ToColumnMajorArray();
            if (!values.AsSpan().SequenceEqual(before[l]))
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{who} changed observation.Gradients.Weights[{l}] during training, at {StepUnit} {entry.Step}. The optimiser goes on with that gradient (batch descent's next step, the line search's direction), so an observer may only read it: copy it (.Clone()) to change it."));
            }
        }
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
