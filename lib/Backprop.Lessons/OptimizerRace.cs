using System.Diagnostics;
using System.Globalization;

namespace Backprop.Lessons;

/// <summary>One optimiser's run in an <see cref="OptimizerRace"/>: its history, the network it trained and its iterations.</summary>
/// <param name="Optimizer">The optimiser.</param>
/// <param name="History">What happened, entry by entry (one entry per epoch, or per gradient evaluation for CG and quasi-Newton).</param>
/// <param name="Network">The trained network (a copy of the race's starting network).</param>
/// <param name="Iterations">
/// The entries at the points the optimiser moved to: every entry for the gradient-descent family (one per epoch), the
/// accepted points of the line searches for CG and quasi-Newton (see <see cref="LineSearchIterates"/>), the start included.
/// </param>
public sealed record RaceRun(IOptimizer Optimizer, TrainingHistory History, Mlp Network, IReadOnlyList<TrainingEntry> Iterations)
{
    /// <summary>How many times the mean loss rose from one iteration to the next (see <see cref="OptimizerRace.Rises"/>).</summary>
    public int LossRises => OptimizerRace.Rises(Iterations);
}

/// <summary>One optimiser's results over several starts (<see cref="OptimizerRace.OverSeeds"/>): median, smallest and largest.</summary>
/// <param name="Optimizer">The optimiser's short name.</param>
/// <param name="FinalMeanLoss">The L/N at the last iteration of each run (the weights it ends with), in seed order.</param>
/// <param name="PassesToTarget">Passes until the loss first fell below the target, per run (null: never).</param>
public sealed record SeedSpread(string Optimizer, IReadOnlyList<double> FinalMeanLoss, IReadOnlyList<double?> PassesToTarget)
{
    /// <summary>The median of <see cref="FinalMeanLoss"/>.</summary>
    public double MedianFinalMeanLoss => OptimizerRace.Median(FinalMeanLoss);

    /// <summary>How many runs reached the target.</summary>
    public int Reached => PassesToTarget.Count(p => p is not null);

    /// <summary>The median passes to the target, counting a run that never got there as +∞ (so null when half or more never did).</summary>
    public double? MedianPassesToTarget
    {
        get
        {
            double m = OptimizerRace.Median([.. PassesToTarget.Select(p => p ?? double.PositiveInfinity)]);
            return double.IsPositiveInfinity(m) ? null : m;
        }
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var reached = PassesToTarget.Where(p => p is not null).Select(p => p!.Value).ToList();
        string passes = reached.Count == 0
            ? "never reached"
            : string.Create(c, $"median {(MedianPassesToTarget is double m ? m.ToString("F0", c) : "—"),5}, range {reached.Min(),5:F0} … {reached.Max(),5:F0} ({Reached} of {PassesToTarget.Count} runs)");
        return string.Create(c, $"{Optimizer,-18} final L/N median {MedianFinalMeanLoss:E2}, range {FinalMeanLoss.Min():E2} … {FinalMeanLoss.Max():E2} | passes to target: {passes}");
    }
}

/// <summary>
/// One row of <see cref="OptimizerRace.Summary"/>: how far an optimiser got, and how much work it needed to
/// bring the lowest mean loss L/N seen below a target (null when it never did).
/// </summary>
/// <param name="Optimizer">The optimiser's short name.</param>
/// <param name="FinalMeanLoss">The lowest L/N of the run.</param>
/// <param name="Target">The target L/N.</param>
/// <param name="PassesToTarget">Passes over the data (epochs, or evaluations for CG and quasi-Newton) until L/N &lt; target.</param>
/// <param name="EvaluationsToTarget">Gradient evaluations until L/N &lt; target (one per sample for online SGD, per batch for mini-batch SGD).</param>
/// <param name="SecondsToTarget">Training time in seconds until L/N &lt; target, on this run.</param>
/// <param name="TotalSeconds">The whole run's training time in seconds, on this run.</param>
public sealed record RaceSummaryRow(
    string Optimizer, double FinalMeanLoss, double Target, double? PassesToTarget, long? EvaluationsToTarget, double? SecondsToTarget, double TotalSeconds)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string reached = PassesToTarget is null
            ? "never reached"
            : string.Create(c, $"{PassesToTarget,6:F0} passes, {EvaluationsToTarget,7} gradient evaluations, {SecondsToTarget,6:F2} s");
        return string.Create(c, $"{Optimizer,-18} lowest L/N {FinalMeanLoss,9:E2} | L/N < {Target:G3}: {reached}");   // TotalSeconds is left to the caller: a line fits a notebook output
    }
}

/// <summary>
/// Races optimisers from the same starting weights on the same data (lecture: "Optimisation Options" —
/// online methods, SGD and mini-batch SGD, against batch methods, batch gradient descent, conjugate
/// gradient and quasi-Newton). Lesson 08.
/// </summary>
public static class OptimizerRace
{
    /// <summary>
    /// Trains a copy of <paramref name="start"/> with each optimiser in turn, printing a line to
    /// <paramref name="log"/> as each run starts and one as it ends (the progress display of a lesson cell).
    /// </summary>
    /// <param name="start">The starting network (not modified): every optimiser starts from its weights.</param>
    /// <param name="data">The training set.</param>
    /// <param name="loss">The error function.</param>
    /// <param name="optimizers">The optimisers, in the order they race.</param>
    /// <param name="log">Where the progress lines go, e.g. <c>Console.Out</c>; null for none.</param>
    public static IReadOnlyList<RaceRun> Run(Mlp start, Dataset data, Loss loss, IEnumerable<IOptimizer> optimizers, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizers);
        var runs = new List<RaceRun>();
        foreach (IOptimizer optimizer in optimizers)
        {
            ArgumentNullException.ThrowIfNull(optimizer, nameof(optimizers));
            log?.WriteLine($"▶ {optimizer} …");
            Mlp net = start.Clone();
            LineSearchIterates? iterates = optimizer is ConjugateGradient or QuasiNewton ? new LineSearchIterates() : null;
            var clock = Stopwatch.StartNew();
            TrainingHistory history = optimizer.Train(net, data, loss, observer: iterates);
            log?.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {optimizer.Name}: L/N {history.Entries[0].MeanLoss:G3} → {history.BestMeanLossValue:E2}, {history.Last.GradientEvaluations} gradient evaluations, {history.Last.PassesOverData:F0} passes, took {clock.Elapsed.TotalSeconds:F2} s ({history.StopReason})"));
            runs.Add(new RaceRun(optimizer, history, net, iterates is null ? history.Entries : iterates.Entries(history)));
        }

        return runs;
    }

    /// <summary>The first entry at which the lowest mean loss seen so far is below <paramref name="meanLoss"/>, or null.</summary>
    public static TrainingEntry? FirstBelow(TrainingHistory history, double meanLoss)
    {
        ArgumentNullException.ThrowIfNull(history);
        int i = Array.FindIndex(history.BestMeanLoss, value => value < meanLoss);
        return i < 0 ? null : history.Entries[i];
    }

    /// <summary>One <see cref="RaceSummaryRow"/> per run: the work each optimiser needed to bring L/N below <paramref name="target"/>.</summary>
    /// <param name="runs">The race's runs.</param>
    /// <param name="target">The target mean loss L/N &gt; 0.</param>
    public static IReadOnlyList<RaceSummaryRow> Summary(IEnumerable<RaceRun> runs, double target)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (!(target > 0 && double.IsFinite(target)))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, $"target must be a finite mean loss > 0, but it is {Arguments.Describe(target)}.");
        }

        return [.. runs.Select(run =>
        {
            TrainingEntry? hit = FirstBelow(run.History, target);
            return new RaceSummaryRow(
                run.Optimizer.Name, run.History.BestMeanLossValue, target, hit?.PassesOverData, hit?.GradientEvaluations, hit?.Elapsed.TotalSeconds, run.History.Elapsed.TotalSeconds);
        })];
    }

    /// <summary>How many times the mean loss L/N rose from one entry to the next.</summary>
    /// <param name="entries">Entries in order, e.g. <see cref="RaceRun.Iterations"/>.</param>
    public static int Rises(IReadOnlyList<TrainingEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        int rises = 0;
        for (int i = 1; i < entries.Count; i++)
        {
            if (entries[i].MeanLoss > entries[i - 1].MeanLoss)
            {
                rises++;
            }
        }

        return rises;
    }

    /// <summary>
    /// Runs the same race from several starts — <paramref name="start"/>(seed) builds the starting network, and
    /// <paramref name="optimizers"/>(seed) the optimisers (their shuffling seeds) — and collects each optimiser's last
    /// L/N and passes to <paramref name="target"/> per seed. A ranking is only as strong as the spread it shows.
    /// </summary>
    /// <param name="seeds">The seeds, e.g. 1 … 5.</param>
    /// <param name="start">The starting network for a seed.</param>
    /// <param name="data">The training set.</param>
    /// <param name="loss">The error function.</param>
    /// <param name="optimizers">The optimisers for a seed, in the same order for every seed.</param>
    /// <param name="target">The target mean loss L/N &gt; 0.</param>
    /// <param name="log">Where a line per seed goes; null for none.</param>
    public static IReadOnlyList<SeedSpread> OverSeeds(
        IEnumerable<int> seeds, Func<int, Mlp> start, Dataset data, Loss loss, Func<int, IEnumerable<IOptimizer>> optimizers, double target, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(optimizers);
        var finals = new List<List<double>>();
        var passes = new List<List<double?>>();
        var names = new List<string>();
        foreach (int seed in seeds)
        {
            IReadOnlyList<RaceRun> runs = Run(start(seed), data, loss, optimizers(seed));
            IReadOnlyList<RaceSummaryRow> rows = Summary(runs, target);
            if (names.Count == 0)
            {
                names.AddRange(runs.Select(r => r.Optimizer.Name));
                finals.AddRange(runs.Select(_ => new List<double>()));
                passes.AddRange(runs.Select(_ => new List<double?>()));
            }

            for (int r = 0; r < runs.Count; r++)
            {
                finals[r].Add(runs[r].Iterations[^1].MeanLoss);
                passes[r].Add(rows[r].PassesToTarget);
            }

            log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seed {seed}: {string.Join(", ", runs.Select(r => $"{r.Optimizer.Name} {r.Iterations[^1].MeanLoss:E2}"))}"));
        }

        return [.. names.Select((n, r) => new SeedSpread(n, finals[r], passes[r]))];
    }

    /// <summary>The median of a non-empty list (the mean of the two middle values for an even count).</summary>
    internal static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("the median needs at least one value.", nameof(values));
        }

        double[] sorted = [.. values.Order()];
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
