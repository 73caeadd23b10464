using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Benchmarks;

/// <summary>
/// The benchmark workloads, defined exactly as reference.py beside this file defines them for numpy
/// and PyTorch (float64, one thread). Prints a table and, as its last line, one JSON object
/// {workload: median seconds over 5 runs after 1 warm-up}.
/// </summary>
/// <remarks>
/// The JSON workloads run the optimisers with <c>MeasureHistory = false</c>, like the reference, which measures
/// nothing between updates. Two groups of rows not in the JSON follow: the same training as a plain loop on
/// <see cref="Mlp.LossAndGradient"/>, and the optimisers with their default measured history (one extra forward
/// and backward pass over the whole training set before training and after every epoch), to show what measuring costs.
/// </remarks>
/// <remarks>
/// Usage: <c>dotnet run -c Release --project tests/Backprop.Benchmarks [-- reference.json …]</c>; each optional
/// argument is a file holding a line printed by reference.py, shown beside the kit's numbers.
/// </remarks>
internal static class Program
{
    private const int Runs = 5;

    private static int Main(string[] args)
    {
        Control.UseSingleThread();
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        Dataset digits = Datasets.Digits();
        Loss loss = Loss.HalfSumOfSquares;

        // Each workload: name, definition, a factory that builds the network and returns one timed run.
        var workloads = new (string Name, string Definition, Func<Action> Setup)[]
        {
            ("prml-batch", "1-3-1 tanh/linear, half-SSE, 50 evenly spaced sin(πx), 1000 batch GD steps, η 0.01 (BatchGradientDescent, MeasureHistory = false)",
                () => PrmlBatch(loss, measure: false)),
            ("digits-mb10", "64-30-30-30-10 tanh/linear, half-SSE, 1 epoch mini-batch SGD, batch 10, η 0.01 (MiniBatchGradientDescent, MeasureHistory = false)",
                () => DigitsEpoch(digits, loss, [64, 30, 30, 30, 10], batch: 10, eta: 0.01, measure: false)),
            ("digits-wide", "64-256-256-10 tanh/linear, half-SSE, 1 epoch mini-batch SGD, batch 32, η 0.001 (MiniBatchGradientDescent, MeasureHistory = false)",
                () => DigitsEpoch(digits, loss, [64, 256, 256, 10], batch: 32, eta: 0.001, measure: false)),
            ("gradcheck", "central differences of every weight of a 64-30-10 tanh net on one sample (GradientChecker.NumericalGradient)",
                () => GradCheck(digits, loss)),
        };

        // Not in the JSON: the same training written as a plain loop on Mlp.LossAndGradient, without the optimisers' bookkeeping.
        var loops = new (string Name, Func<Action> Setup)[]
        {
            ("prml-batch", () => Loop(Datasets.CurveEvenlySpaced(CurveFunction.Sine, 50), loss, [1, 3, 1], batch: 50, eta: 0.01, epochs: 1000)),
            ("digits-mb10", () => Loop(digits, loss, [64, 30, 30, 30, 10], batch: 10, eta: 0.01, epochs: 1)),
            ("digits-wide", () => Loop(digits, loss, [64, 256, 256, 10], batch: 32, eta: 0.001, epochs: 1)),
        };

        // Not in the JSON: the optimisers with their default MeasureHistory = true, each entry measured by an extra
        // forward and backward pass over the whole training set (entry 0 and after the last epoch, here).
        var measured = new (string Name, Func<Action> Setup)[]
        {
            ("prml-batch", () => PrmlBatch(loss, measure: true)),
            ("digits-mb10", () => DigitsEpoch(digits, loss, [64, 30, 30, 30, 10], batch: 10, eta: 0.01, measure: true)),
            ("digits-wide", () => DigitsEpoch(digits, loss, [64, 256, 256, 10], batch: 32, eta: 0.001, measure: true)),
        };

        Dictionary<string, Dictionary<string, double>> references = ReadReferences(args);

        Console.WriteLine($"Backprop.Notebooks benchmark — float64, one thread, median of {Runs} runs after 1 warm-up");
        Console.WriteLine($".NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, " +
            $"AVX2 {System.Runtime.Intrinsics.X86.Avx2.IsSupported}, FMA {System.Runtime.Intrinsics.X86.Fma.IsSupported}");
        Console.WriteLine();
        foreach ((string name, string definition, _) in workloads)
        {
            Console.WriteLine($"  {name,-12} {definition}");
        }

        Console.WriteLine();
        string referenceColumns = string.Concat(references.Keys.Select(framework => $" {framework,10} {"ratio",6}"));
        Console.WriteLine($"{"workload",-12} {"median s",10} {"min s",10} {"max s",10} {"cpu s",10}{referenceColumns}");
        var medians = new Dictionary<string, double>();
        foreach ((string name, _, Func<Action> setup) in workloads)
        {
            (double[] times, double[] cpu) = Time(setup());
            double median = Median(times);
            medians[name] = median;
            string compare = string.Concat(references.Values.Select(seconds =>
                seconds.TryGetValue(name, out double reference) ? $" {reference,10:F4} {median / reference,6:F2}" : $" {"—",10} {"",6}"));
            Console.WriteLine($"{name,-12} {median,10:F4} {times.Min(),10:F4} {times.Max(),10:F4} {Median(cpu),10:F4}{compare}");
        }

        Console.WriteLine();
        Console.WriteLine("The same training as a plain loop on Mlp.LossAndGradient (w ← w − η ∇L, no history):");
        foreach ((string name, Func<Action> setup) in loops)
        {
            (double[] times, double[] cpu) = Time(setup());
            Console.WriteLine($"{name + " loop",-12} {Median(times),10:F4} {times.Min(),10:F4} {times.Max(),10:F4} {Median(cpu),10:F4}");
        }

        Console.WriteLine();
        Console.WriteLine("The optimisers with their default measured history (MeasureHistory = true: + 1 pass over the training set per entry, 2 entries):");
        foreach ((string name, Func<Action> setup) in measured)
        {
            (double[] times, double[] cpu) = Time(setup());
            Console.WriteLine($"{name + " meas.",-12} {Median(times),10:F4} {times.Min(),10:F4} {times.Max(),10:F4} {Median(cpu),10:F4}");
        }

        Console.WriteLine();
        Console.WriteLine(JsonSerializer.Serialize(medians));
        return 0;
    }

    /// <summary>
    /// 1-3-1 tanh/linear on 50 evenly spaced points of sin(πx): 1000 batch gradient-descent steps with η = 0.01 on the
    /// summed loss; measure = the optimiser's MeasureHistory (one entry, after the last step, plus entry 0 when measured).
    /// </summary>
    private static Action PrmlBatch(Loss loss, bool measure)
    {
        Dataset data = Datasets.CurveEvenlySpaced(CurveFunction.Sine, 50);
        var net = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 0);

        // The optimisers step with η/|B| times the summed gradient; η·|B| reproduces the reference's η on the sum.
        var optimizer = new BatchGradientDescent { LearningRate = 0.01 * data.Count, Momentum = 0.0, Epochs = 1000, HistoryInterval = 1000, MeasureHistory = measure };
        return () => optimizer.Train(net, data.Inputs, data.Targets, loss);
    }

    /// <summary>
    /// One epoch of mini-batch SGD over the 1797 digits with η on the summed loss of each batch; measure = the
    /// optimiser's MeasureHistory (true adds two passes over the 1797 digits: entry 0 and the epoch's entry).
    /// </summary>
    private static Action DigitsEpoch(Dataset digits, Loss loss, int[] sizes, int batch, double eta, bool measure)
    {
        var net = new Mlp(sizes, Activation.Tanh, Activation.Identity, seed: 0);
        var optimizer = new MiniBatchGradientDescent { BatchSize = batch, LearningRate = eta * batch, Momentum = 0.0, Epochs = 1, Seed = 0, MeasureHistory = measure };
        return () => optimizer.Train(net, digits.Inputs, digits.Targets, loss);
    }

    /// <summary>Central differences (ε = 1e-6) of L_n for every weight of a 64-30-10 tanh net on the first digit: 2|W| = 4520 forward passes.</summary>
    private static Action GradCheck(Dataset digits, Loss loss)
    {
        var net = new Mlp([64, 30, 10], Activation.Tanh, Activation.Identity, seed: 0);
        Vector<double> x = digits.Inputs.Row(0);
        Vector<double> t = digits.Targets.Row(0);
        Vector<double> w = net.GetParameters();
        Mlp probe = net.Clone();
        double L(Vector<double> parameters)
        {
            probe.SetParameters(parameters);
            return loss.Value(probe.Predict(x), t);
        }

        return () => GradientChecker.NumericalGradient(L, w, epsilon: 1e-6);
    }

    /// <summary>The training written by hand: for each batch (in a seeded shuffled order), w ← w − η ∇L_B with ∇L_B from LossAndGradient.</summary>
    private static Action Loop(Dataset data, Loss loss, int[] sizes, int batch, double eta, int epochs)
    {
        var net = new Mlp(sizes, Activation.Tanh, Activation.Identity, seed: 0);
        int n = data.Count;
        int[] order = Enumerable.Range(0, n).ToArray();
        if (batch < n)
        {
            new Random(0).Shuffle(order);
        }

        var batches = new List<(Matrix<double> X, Matrix<double> T)>();
        for (int first = 0; first < n; first += batch)
        {
            int[] rows = order[first..Math.Min(n, first + batch)];
            batches.Add((Matrix<double>.Build.DenseOfRowVectors(rows.Select(data.Inputs.Row)),
                         Matrix<double>.Build.DenseOfRowVectors(rows.Select(data.Targets.Row))));
        }

        return () =>
        {
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                foreach ((Matrix<double> x, Matrix<double> t) in batches)
                {
                    (_, Vector<double> gradient) = net.LossAndGradient(x, t, loss);
                    Vector<double> w = net.GetParameters();
                    w.Subtract(gradient.Multiply(eta), w);
                    net.SetParameters(w);
                }
            }
        };
    }

    /// <summary>Wall-clock seconds of each run (what the JSON reports) and the CPU seconds of this thread (NaN where unavailable).</summary>
    private static (double[] Wall, double[] Cpu) Time(Action run)
    {
        run(); // warm-up: caches, the first GCs, and JIT work for anything not yet compiled
        var wall = new double[Runs];
        var cpu = new double[Runs];
        for (int r = 0; r < Runs; r++)
        {
            double cpuStart = ThreadCpuSeconds();
            long start = Stopwatch.GetTimestamp();
            run();
            wall[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            cpu[r] = ThreadCpuSeconds() - cpuStart;
        }

        return (wall, cpu);
    }

    /// <summary>
    /// CPU time of the calling thread (user + system) from getrusage(RUSAGE_THREAD) on Linux: on a busy machine it shows
    /// how much of the wall-clock time the benchmark actually ran. NaN on other systems.
    /// </summary>
    private static double ThreadCpuSeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }

        try
        {
            return NativeMethods.getrusage(1, out RUsage usage) == 0
                ? usage.UserSeconds + (usage.UserMicroseconds * 1e-6) + usage.SystemSeconds + (usage.SystemMicroseconds * 1e-6)
                : double.NaN;
        }
        catch (DllNotFoundException)
        {
            return double.NaN;
        }
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    /// <summary>Reads reference.py's output lines: {"framework": "numpy", "threads": 1, "seconds": {…}}.</summary>
    private static Dictionary<string, Dictionary<string, double>> ReadReferences(string[] paths)
    {
        var references = new Dictionary<string, Dictionary<string, double>>();
        foreach (string path in paths)
        {
            string line = File.ReadLines(path).Last(l => l.TrimStart().StartsWith('{'));
            using JsonDocument document = JsonDocument.Parse(line);
            string framework = document.RootElement.GetProperty("framework").GetString() ?? path;
            references[framework] = document.RootElement.GetProperty("seconds").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetDouble());
        }

        return references;
    }
}

/// <summary>The head of struct rusage (two timevals) followed by its 14 long counters.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RUsage
{
    public long UserSeconds;
    public long UserMicroseconds;
    public long SystemSeconds;
    public long SystemMicroseconds;
    public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
}

internal static class NativeMethods
{
    [DllImport("libc", SetLastError = false)]
    internal static extern int getrusage(int who, out RUsage usage);
}
