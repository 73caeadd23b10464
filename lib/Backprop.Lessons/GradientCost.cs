using System.Diagnostics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// The measured time of one full gradient of a D-M-K network, by backpropagation and by central
/// differences (one row of <see cref="GradientCost.Measure"/>).
/// </summary>
/// <param name="HiddenUnits">M, the width of the hidden layer.</param>
/// <param name="ParameterCount">|W|, the number of weights and biases.</param>
/// <param name="BackpropSeconds">Processor seconds per gradient by one batched forward and backward pass.</param>
/// <param name="NumericalSeconds">Processor seconds per gradient by central differences, 2|W| loss evaluations.</param>
/// <param name="BackpropRepeats">How many backprop gradients the median round timed.</param>
/// <param name="NumericalRepeats">How many numerical gradients the median round timed.</param>
/// <param name="TimedCoordinates">How many of the |W| central differences were timed (0 or |W|: all of them); when fewer,
/// <paramref name="NumericalSeconds"/> is their time scaled by |W| / TimedCoordinates — exact in the count of loss
/// evaluations, 2|W|, and measured in the cost of each.</param>
public sealed record GradientCostMeasurement(
    int HiddenUnits, int ParameterCount, double BackpropSeconds, double NumericalSeconds, int BackpropRepeats, int NumericalRepeats, int TimedCoordinates = 0);

/// <summary>
/// Times backpropagation against numerical differentiation as |W| grows (lecture: "Efficiency" —
/// numerical differentiation costs O(|W|²), two forward passes of O(|W|) per weight, backpropagation
/// O(|W|)). Everything is deterministic given the seed except the seconds themselves. Lesson 06.
/// </summary>
public static class GradientCost
{
    /// <summary>
    /// For each width M, builds a D-M-K network with tanh hidden units and linear outputs (seeded),
    /// a seeded batch of Gaussian inputs and targets, and times the gradient of the half sum-of-squares
    /// loss by <see cref="Mlp.LossAndGradient"/> and by <see cref="GradientChecker.NumericalGradient"/>.
    /// Times are processor seconds of this process (<see cref="Environment.CpuUsage"/>), not wall-clock
    /// seconds, so other programs on a busy machine inflate them less. Each method first runs for
    /// <paramref name="minimumSeconds"/> unmeasured (so the JIT has optimised it), then is timed in
    /// rounds that repeat it until a round has used at least <paramref name="minimumSeconds"/>; the
    /// median round's time per gradient is reported, robust to the interruptions of a busy machine in
    /// either direction (a large network needs only one call per round, so big sizes stay quick).
    /// The defaults (D = 64, K = 16, one sample) make each forward pass do enough arithmetic to
    /// outweigh its fixed overhead, so the cost follows |W|.
    /// </summary>
    /// <param name="hiddenUnits">The widths M to measure, each at least 1.</param>
    /// <param name="inputs">D, the number of inputs.</param>
    /// <param name="outputs">K, the number of outputs.</param>
    /// <param name="samples">N, the batch size of every loss evaluation.</param>
    /// <param name="seed">Seeds the networks and the data.</param>
    /// <param name="minimumSeconds">The least processor time of one timed round.</param>
    /// <param name="rounds">Timed rounds per method and size; the median counts.</param>
    /// <param name="maximumCoordinates">Times the central differences of at most this many weights, evenly spread over the
    /// parameter vector, and scales their time by |W| / count (a full numerical gradient of a large network takes seconds;
    /// every central difference costs the same two loss evaluations, so a sample measures the cost per weight). Null: all.</param>
    /// <param name="measured">Called with each size as soon as it is measured, on the calling thread (e.g. to print progress).</param>
    /// <exception cref="ArgumentException">A size, count or duration is out of range.</exception>
    public static IReadOnlyList<GradientCostMeasurement> Measure(
        IReadOnlyList<int> hiddenUnits,
        int inputs = 64,
        int outputs = 16,
        int samples = 1,
        int seed = 0,
        double minimumSeconds = 0.02,
        int rounds = 3,
        int? maximumCoordinates = null,
        Action<GradientCostMeasurement>? measured = null)
    {
        RequireMeasurable(hiddenUnits, inputs, outputs, samples, minimumSeconds, rounds, maximumCoordinates);
        var random = new Normal(0.0, 1.0, new Random(seed)); // standard normal inputs and targets
        Matrix<double> x = Matrix<double>.Build.Dense(samples, inputs, (_, _) => random.Sample());
        Matrix<double> t = Matrix<double>.Build.Dense(samples, outputs, (_, _) => random.Sample());

        var results = new List<GradientCostMeasurement>(hiddenUnits.Count);
        foreach (int m in hiddenUnits)
        {
            var measurement = MeasureOne(new Mlp([inputs, m, outputs], Activation.Tanh, Activation.Identity, seed), x, t, minimumSeconds, rounds, maximumCoordinates);
            results.Add(measurement);
            measured?.Invoke(measurement);
        }

        return results;
    }

    /// <summary>Backprop's and the central differences' cost for one network, on the same batch and loss.</summary>
    private static GradientCostMeasurement MeasureOne(Mlp net, Matrix<double> x, Matrix<double> t, double minimumSeconds, int rounds, int? maximumCoordinates)
    {
        Loss loss = Loss.HalfSumOfSquares;
        Vector<double> w = net.GetParameters();
        Mlp probe = net.Clone();
        double LossAt(Vector<double> parameters)
        {
            probe.SetParameters(parameters);
            return probe.ComputeLoss(x, t, loss);
        }

        (double backprop, int backpropRepeats) = Time(() => net.LossAndGradient(x, t, loss), minimumSeconds, rounds);
        int count = w.Count;
        int timed = Math.Min(count, maximumCoordinates ?? count);
        int[] coordinates = [.. Enumerable.Range(0, timed).Select(k => (int)((long)k * count / timed))];
        (double numerical, int numericalRepeats) = timed == count
            ? Time(() => GradientChecker.NumericalGradient(LossAt, w), minimumSeconds, rounds)
            : Time(() => { foreach (int i in coordinates) { GradientChecker.Derivative(LossAt, w, i, 1e-5); } }, minimumSeconds, rounds);
        numerical *= (double)count / timed;
        return new GradientCostMeasurement(net.Layers[0].UnitCount, net.ParameterCount, backprop, numerical, backpropRepeats, numericalRepeats, timed);
    }

    private static void RequireMeasurable(IReadOnlyList<int> hiddenUnits, int inputs, int outputs, int samples, double minimumSeconds, int rounds, int? maximumCoordinates)
    {
        ArgumentNullException.ThrowIfNull(hiddenUnits);
        for (int s = 0; s < hiddenUnits.Count; s++)
        {
            if (hiddenUnits[s] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(hiddenUnits), hiddenUnits[s], $"hiddenUnits[{s}] must be at least 1, but it is {hiddenUnits[s]}.");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        if (maximumCoordinates is int most)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(most, 1, nameof(maximumCoordinates));
        }
        Arguments.Positive(minimumSeconds, nameof(minimumSeconds));
    }

    /// <summary>The median round's processor seconds per call, and the calls in that round.</summary>
    private static (double Seconds, int Repeats) Time(Action action, double minimumSeconds, int rounds)
    {
        double start = ProcessorSeconds();
        do
        {
            action();   // lets the JIT finish optimising before anything is timed
        }
        while (ProcessorSeconds() - start < minimumSeconds);

        var timed = new List<(double PerCall, int Repeats)>(rounds);
        for (int round = 0; round < rounds; round++)
        {
            int repeats = 0;
            start = ProcessorSeconds();
            double elapsed;
            do
            {
                action();
                repeats++;
                elapsed = ProcessorSeconds() - start;
            }
            while (elapsed < minimumSeconds);

            timed.Add((elapsed / repeats, repeats));
        }

        timed.Sort((p, q) => p.PerCall.CompareTo(q.PerCall));
        return timed[(timed.Count - 1) / 2];
    }

    /// <summary>
    /// Processor time used by this process so far: unlike wall-clock time it does not grow while other programs run. In
    /// the browser (the live web book) the runtime reports no processor time, so the clock of its one thread is used.
    /// </summary>
    private static double ProcessorSeconds() =>
        OperatingSystem.IsBrowser() ? Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency : Environment.CpuUsage.TotalTime.TotalSeconds;
}
