using System.Diagnostics;
using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// Records a training run's history: one entry per measurement, timed by a clock that runs only while the optimiser
/// works, shown to the caller's progress report and observer, which may only read the network and its gradient.
/// </summary>
internal sealed class HistoryRecorder
{
    private readonly List<TrainingEntry> _entries = [];
    private readonly Stopwatch _clock = new();
    private readonly Mlp _net;
    private readonly TrainingData _data;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly ITrainingObserver? _observer;
    private readonly double[][]? _weightsBeforeCallbacks; // a copy of the weights while the caller's progress and observer run

    /// <param name="optimizer">The optimiser's description, as the history shows it.</param>
    /// <param name="stepUnit">What an entry's step counts ("epoch", "evaluation").</param>
    /// <param name="net">The network being trained.</param>
    /// <param name="data">The run's data, for the entries' mean loss and validation metrics.</param>
    /// <param name="progress">The caller's progress report, or null.</param>
    /// <param name="observer">The caller's observer, or null.</param>
    public HistoryRecorder(
        string optimizer, string stepUnit, Mlp net, TrainingData data, IProgress<TrainingProgress>? progress, ITrainingObserver? observer)
    {
        Optimizer = optimizer;
        StepUnit = stepUnit;
        _net = net;
        _data = data;
        _progress = progress;
        _observer = observer;
        if (progress is not null || observer is not null)
        {
            _weightsBeforeCallbacks = [.. net.Layers.Select(layer => new double[layer.Storage.Length])];
        }
    }

    public string Optimizer { get; }

    public string StepUnit { get; }

    public IReadOnlyList<TrainingEntry> Entries => _entries;

    public void StartClock() => _clock.Start();

    public void StopClock() => _clock.Stop();

    /// <summary>Whether an observer will see the measured passes (which then keep their checksums).</summary>
    public bool ShowsPasses => _observer is not null;

    /// <summary>Adds an entry measured from a whole-training-set evaluation at the current weights and shows it to the observer.</summary>
    public TrainingEntry Record(int step, long gradientEvaluations, double passesOverData, BatchForwardPass pass, BatchGradients gradients)
    {
        bool running = _clock.IsRunning;
        _clock.Stop();
        TrainingEntry entry = Add(step, gradientEvaluations, passesOverData, gradients.Loss);
        if (_observer is not null)
        {
            CopyWeights();
            double[][] gradient = [.. Enumerable.Range(1, gradients.LayerCount).Select(l => gradients.WeightGradient(l).ToColumnMajorArray())];
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
        return new TrainingHistory(Optimizer, StepUnit, _data.Count, _entries, stop, reason, iterations);
    }

    private TrainingEntry Add(int step, long gradientEvaluations, double passesOverData, double loss)
    {
        (double validationLoss, double validationAccuracy) = _data.ValidationMetrics(_net);
        var entry = new TrainingEntry(step, gradientEvaluations, passesOverData, loss, loss / _data.Count, validationLoss, validationAccuracy, _clock.Elapsed);
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
                $"{who} changed the network's weights during training, at {StepUnit} {entry.Step}: the weight {Notation.WeightWithIndex(l + 1, row + 1, column)} was {Guard.Describe(before[index])} and is now {Guard.Describe(now[index])}. An observer or progress report runs in the middle of training and may only read the network: the optimiser's next step starts from the weights it set, so a change would pass for its own work, or for divergence. Training is stopped and the weights are put back; to change the weights, do it before or after Train.");
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
            Matrix<double> now = gradients.WeightGradient(l + 1);
            double[] values = now.AsColumnMajorArray() ?? now.ToColumnMajorArray();
            if (!values.AsSpan().SequenceEqual(before[l]))
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{who} changed observation.Gradients.WeightGradient({l + 1}) (∂L/∂w{Notation.Layer(l + 1)}) during training, at {StepUnit} {entry.Step}. The optimiser goes on with that gradient (batch descent's next step, the line search's direction), so an observer may only read it: copy it (.Clone()) to change it."));
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
}
