using System.Diagnostics;
using System.Globalization;

namespace Backprop.Lessons;

/// <summary>
/// One row of <see cref="UpdateCost.Measure"/>: what one weight update costs with N samples — a batch update
/// needs the gradient over all N, an online update the gradient of one sample.
/// </summary>
/// <param name="SampleCount">N, the size of the training set.</param>
/// <param name="SamplesPerBatchUpdate">Samples whose gradient one batch update needs (N).</param>
/// <param name="SamplesPerOnlineUpdate">Samples whose gradient one online update needs (1).</param>
/// <param name="BatchUpdateSeconds">Measured time of one batch gradient ∇L = Σ_n ∇L_n, in seconds (a timing: it depends on the machine and its load).</param>
/// <param name="OnlineUpdateSeconds">Measured time of one single-sample gradient ∇L_n, in seconds (a timing).</param>
public sealed record UpdateCostRow(int SampleCount, int SamplesPerBatchUpdate, int SamplesPerOnlineUpdate, double BatchUpdateSeconds, double OnlineUpdateSeconds)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"N = {SampleCount,5} | samples per update: batch {SamplesPerBatchUpdate,5}, online {SamplesPerOnlineUpdate} | time per update: batch {1e3 * BatchUpdateSeconds,8:F3} ms, online {1e3 * OnlineUpdateSeconds,6:F3} ms");
}

/// <summary>
/// Measures the cost of one update of a batch method against one of an online method as the training set grows
/// (lecture: "Optimisation Options" — batch methods are "practical for small datasets only"). Lesson 08.
/// </summary>
public static class UpdateCost
{
    /// <summary>
    /// For each N in <paramref name="sizes"/>: the time of one gradient over the first N samples of
    /// <paramref name="data"/> and of one single-sample gradient, each the median of <paramref name="repeats"/> timings.
    /// </summary>
    /// <param name="network">The network (not modified).</param>
    /// <param name="data">The samples; its size must be at least the largest N.</param>
    /// <param name="loss">The error function.</param>
    /// <param name="sizes">The training-set sizes N to measure.</param>
    /// <param name="repeats">Timings per measurement, ≥ 1; the median is kept.</param>
    public static IReadOnlyList<UpdateCostRow> Measure(Mlp network, Dataset data, Loss loss, IEnumerable<int> sizes, int repeats = 5)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(sizes);
        if (repeats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(repeats), repeats, $"repeats must be at least 1, but it is {repeats}.");
        }

        var rows = new List<UpdateCostRow>();
        Dataset one = data.Take(1);
        foreach (int n in sizes)
        {
            if (n < 1 || n > data.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(sizes), n, $"every N must lie in 1 … {data.Count} (the data's size), but one is {n}.");
            }

            Dataset subset = data.Take(n);
            double batch = MedianSeconds(() => network.LossAndGradient(subset.Inputs, subset.Targets, loss), repeats);
            double online = MedianSeconds(() => network.LossAndGradient(one.Inputs, one.Targets, loss), repeats);
            rows.Add(new UpdateCostRow(n, n, 1, batch, online));
        }

        return rows;
    }

    private static double MedianSeconds(Action action, int repeats)
    {
        action(); // warm up
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        return OptimizerRace.Median(times);
    }
}
