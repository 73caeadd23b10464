using System.Diagnostics;
using System.Globalization;

namespace Backprop.Lessons;

/// <summary>One optimiser's run in an <see cref="OptimizerRace"/>: its history and the network it trained.</summary>
/// <param name="Optimizer">The optimiser.</param>
/// <param name="History">What happened, entry by entry.</param>
/// <param name="Network">The trained network (a copy of the race's starting network).</param>
public sealed record RaceRun(IOptimizer Optimizer, TrainingHistory History, Mlp Network);

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
        return string.Create(c, $"{Optimizer,-18} lowest L/N {FinalMeanLoss,9:E2} | L/N < {Target:G3}: {reached} | whole run {TotalSeconds:F2} s");
    }
}

/// <summary>
/// Races optimisers from the same starting weights on the same data (lecture: "Optimisation Options" —
/// online methods, SGD and mini-batch SGD, against batch methods, batch gradient descent, conjugate
/// gradient and quasi-Newton). Lesson 05.
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
            var clock = Stopwatch.StartNew();
            TrainingHistory history = optimizer.Train(net, data, loss);
            log?.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {optimizer.Name}: L/N {history.Entries[0].MeanLoss:G3} → {history.BestMeanLossValue:E2}, {history.Last.GradientEvaluations} gradient evaluations, {history.Last.PassesOverData:F0} passes, took {clock.Elapsed.TotalSeconds:F2} s ({history.StopReason})"));
            runs.Add(new RaceRun(optimizer, history, net));
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
}
