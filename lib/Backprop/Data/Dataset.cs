using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// A data set {x_n, t_n}: one row of <see cref="Inputs"/> and of <see cref="Targets"/> per sample n,
/// as <see cref="Mlp.Forward(Matrix{double})"/> and the optimisers expect them (lesson 08).
/// </summary>
/// <param name="Name">A short description, e.g. "digits" or "sin(πx), 50 points".</param>
/// <param name="Inputs">The inputs x_n, one row per sample (N × D).</param>
/// <param name="Targets">The targets t_n, one row per sample (N × K); one-hot rows for classification.</param>
/// <param name="Labels">The class of each sample (0 … K − 1) for classification sets, otherwise null.</param>
/// <remarks>
/// The constructor checks that inputs, targets and labels have one row per sample. A <c>with</c> expression may change
/// them one at a time, so a set made by one is checked where it is used (training, <see cref="Subset"/>, the metrics).
/// </remarks>
/// <exception cref="ArgumentException">Targets or Labels do not have one row (entry) per row of Inputs; the message names both counts.</exception>
public sealed record Dataset(string Name, Matrix<double> Inputs, Matrix<double> Targets, int[]? Labels = null)
{
    /// <summary>A short description of the data set.</summary>
    public string Name { get; init => field = NotNull(value, nameof(Name)); } = NotNull(Name, nameof(Name));

    /// <summary>The inputs x_n, one row per sample (N × D).</summary>
    public Matrix<double> Inputs { get; init => field = NotNull(value, nameof(Inputs)); } = NotNull(Inputs, nameof(Inputs));

    /// <summary>The targets t_n, one row per sample (N × K).</summary>
    public Matrix<double> Targets { get; init => field = NotNull(value, nameof(Targets)); } = CheckRows(Inputs, NotNull(Targets, nameof(Targets)));

    /// <summary>The class of each sample (0 … K − 1) for classification sets, otherwise null.</summary>
    public int[]? Labels { get; init; } = CheckLabels(Inputs, Labels);

    /// <summary>The number of samples N.</summary>
    public int Count => Inputs.RowCount;

    /// <summary>The number of inputs D per sample.</summary>
    public int InputCount => Inputs.ColumnCount;

    /// <summary>The number of targets K per sample.</summary>
    public int TargetCount => Targets.ColumnCount;

    /// <summary>The samples at the given row indices, in that order (indices may repeat).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside 0 … N − 1.</exception>
    public Dataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        Validate();
        for (int r = 0; r < indices.Count; r++)
        {
            if (indices[r] < 0 || indices[r] >= Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), indices[r], $"indices[{r}] must be a row of the data set, 0 … {Count - 1}, but it is {indices[r]}.");
            }
        }

        return new Dataset(
            name ?? string.Create(CultureInfo.InvariantCulture, $"{Name} ({indices.Count} samples)"),
            Rows(Inputs, indices),
            Rows(Targets, indices),
            Labels is null ? null : indices.Select(i => Labels[i]).ToArray());
    }

    /// <summary>The first <paramref name="count"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count is not in 1 … N.</exception>
    public Dataset Take(int count)
    {
        if (count < 1 || count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be in 1 … {Count} (the number of samples), but it is {count}.");
        }

        return Subset(Enumerable.Range(0, count).ToArray(), string.Create(CultureInfo.InvariantCulture, $"{Name} (first {count})"));
    }

    /// <summary>
    /// A seeded random split into a training and a test set: the samples are shuffled with
    /// <paramref name="seed"/> and the last round(N · testFraction) go to the test set. The same
    /// seed always gives the same split.
    /// </summary>
    /// <param name="testFraction">The share of samples held out for testing, strictly between 0 and 1.</param>
    /// <param name="seed">The seed of the shuffle.</param>
    /// <exception cref="ArgumentOutOfRangeException">testFraction is not in (0, 1) or leaves one side empty.</exception>
    public (Dataset Train, Dataset Test) Split(double testFraction, int seed)
    {
        if (!(testFraction > 0.0 && testFraction < 1.0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(testFraction), testFraction, $"testFraction must lie strictly between 0 and 1, but it is {testFraction.ToString(CultureInfo.InvariantCulture)}.");
        }

        int testCount = (int)Math.Round(Count * testFraction);
        if (testCount < 1 || testCount >= Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(testFraction), testFraction, $"testFraction {testFraction.ToString(CultureInfo.InvariantCulture)} of {Count} samples leaves {testCount} for testing and {Count - testCount} for training; both need at least one.");
        }

        int[] order = Permutation(Count, seed);
        return (Subset(order[..^testCount], $"{Name} (train)"), Subset(order[^testCount..], $"{Name} (test)"));
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {Count} samples, {InputCount} inputs, {TargetCount} targets");

    /// <summary>Throws unless inputs, targets and labels have one row per sample.</summary>
    internal void Validate()
    {
        CheckRows(Inputs, Targets);
        CheckLabels(Inputs, Labels);
    }

    private static Matrix<double> CheckRows(Matrix<double> inputs, Matrix<double> targets)
    {
        if (targets.RowCount != inputs.RowCount)
        {
            throw new ArgumentException(
                $"Targets must have one row per sample, {inputs.RowCount} (the rows of Inputs), but it has {targets.RowCount}: a data set pairs input row n with target row n.", nameof(Targets));
        }

        return targets;
    }

    private static int[]? CheckLabels(Matrix<double> inputs, int[]? labels)
    {
        if (labels is not null && labels.Length != inputs.RowCount)
        {
            throw new ArgumentException(
                $"Labels must have one entry per sample, {inputs.RowCount} (the rows of Inputs), but it has {labels.Length}.", nameof(Labels));
        }

        return labels;
    }

    private static T NotNull<T>(T? value, string name)
        where T : class =>
        value ?? throw new ArgumentNullException(name, $"A Dataset needs {name}; it was null.");

    /// <summary>A seeded Fisher–Yates permutation of 0 … n − 1.</summary>
    internal static int[] Permutation(int n, int seed)
    {
        int[] order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    private static Matrix<double> Rows(Matrix<double> m, IReadOnlyList<int> indices)
    {
        var result = Matrix<double>.Build.Dense(indices.Count, m.ColumnCount);
        for (int c = 0; c < m.ColumnCount; c++)
        {
            for (int r = 0; r < indices.Count; r++)
            {
                result[r, c] = m[indices[r], c];
            }
        }

        return result;
    }
}
