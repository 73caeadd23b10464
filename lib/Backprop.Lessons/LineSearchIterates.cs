using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// Finds the iterations of a line-search optimiser (conjugate gradient, quasi-Newton) in its stream of gradient
/// evaluations. Such an optimiser records one entry per evaluation, and most evaluations are trial points of a line
/// search along a direction d from the current iterate w_k. The trial points of one search lie on the line
/// w_k + α d; the first evaluation off that line starts the next search, so the search's last trial point was the
/// accepted iterate w_{k+1} (lecture: "Optimisation Options" — CG and quasi-Newton decrease L at each iteration). Lesson 08.
/// </summary>
public sealed class LineSearchIterates : ITrainingObserver
{
    private readonly List<Vector<double>> _points = [];

    /// <summary>The weights at every evaluation seen, in order.</summary>
    public IReadOnlyList<Vector<double>> Points => _points;

    /// <summary>Records the weights of one evaluation.</summary>
    public void Observe(TrainingObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        _points.Add(observation.Network.GetParameters());
    }

    /// <summary>
    /// The indices (into <paramref name="points"/>) of the iterates: 0 (the start), then the last trial point of
    /// every line search. Two displacements from the current iterate are on one line when the cosine of their
    /// angle is within 1e-8 of ±1.
    /// </summary>
    /// <param name="points">The weights at each evaluation, in order.</param>
    public static IReadOnlyList<int> Find(IReadOnlyList<Vector<double>> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var iterates = new List<int>();
        if (points.Count == 0)
        {
            return iterates;
        }

        iterates.Add(0);
        int current = 0;     // the iterate w_k the current line search starts from
        int? lastTrial = null;
        for (int e = 1; e < points.Count; e++)
        {
            Vector<double> d = points[e] - points[current];
            if (d.L2Norm() <= 1e-14 * (1 + points[current].L2Norm()))
            {
                continue; // the iterate evaluated again
            }

            if (lastTrial is int t && !OnOneLine(points[t] - points[current], d))
            {
                iterates.Add(t);  // the search along the old direction ended at t: t is w_{k+1}
                current = t;
            }

            lastTrial = e;
        }

        if (lastTrial is int last)
        {
            iterates.Add(last);
        }

        return iterates;
    }

    /// <summary>The entries of <paramref name="history"/> at the iterates found from <see cref="Points"/> (one point per entry).</summary>
    /// <param name="history">The history of the run this observer watched.</param>
    public IReadOnlyList<TrainingEntry> Entries(TrainingHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Entries.Count != _points.Count)
        {
            throw new ArgumentException($"history has {history.Entries.Count} entries but the observer saw {_points.Count} evaluations: pass the history of the run it watched.", nameof(history));
        }

        return [.. Find(_points).Select(i => history.Entries[i])];
    }

    private static bool OnOneLine(Vector<double> a, Vector<double> b)
    {
        double cos = a.DotProduct(b) / (a.L2Norm() * b.L2Norm());
        return Math.Abs(cos) >= 1 - 1e-8;
    }
}
