namespace Backprop.Coursework;

/// <summary>
/// Per-student variants of an exercise: the seed a lesson draws its data from. A student's copy of a lesson (made by
/// <c>release --roster</c>) holds a variant cell after its setup cells that calls <see cref="Use"/> once per exercise that
/// opts in; the lesson's cells and the exercise's check then call <see cref="Draw"/> with the same arguments, so the
/// notebook shows the student's own numbers and the check expects the answer for them. Without a variant cell (the
/// instructor's notebook, a release without a roster) every draw is the lesson's standard value. Student cells may not
/// call this API (the cell policy denies the check API), and the grader writes the variant cell itself.
/// </summary>
public static class Variant
{
    private static readonly Dictionary<string, (string Student, int Seed)> s_seeds = new(StringComparer.Ordinal);
    private static readonly Lock s_gate = new();

    /// <summary>
    /// Sets the seed of exercise <paramref name="exercise"/> for <paramref name="student"/>; called by the variant cell only.
    /// Once set, an exercise's seed does not change in this kernel: the same call again is harmless, a different one throws.
    /// </summary>
    /// <param name="student">The student's id, as on the course roster.</param>
    /// <param name="exercise">The exercise id, e.g. "06.3".</param>
    /// <param name="seed">The seed, a non-negative number the course tool derives from the student id and the course secret.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The exercise already has another student's or another seed in this kernel.</exception>
    public static void Use(string student, string exercise, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(student);
        ArgumentException.ThrowIfNullOrWhiteSpace(exercise);
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        lock (s_gate)
        {
            if (s_seeds.TryGetValue(exercise, out var set) && set != (student, seed))
            {
                throw new InvalidOperationException(
                    $"Exercise {exercise} already has the variant of student '{set.Student}' in this kernel; restart the kernel to use another.");
            }

            s_seeds[exercise] = (student, seed);
        }
    }

    /// <summary>The seed of exercise <paramref name="exercise"/>, or null when this kernel runs no variant of it (the lesson's standard data).</summary>
    public static int? Seed(string exercise)
    {
        lock (s_gate)
        {
            return s_seeds.TryGetValue(exercise, out var set) ? set.Seed : null;
        }
    }

    /// <summary>
    /// A whole number from <paramref name="from"/> to <paramref name="to"/> (both included) for exercise
    /// <paramref name="exercise"/>: drawn from the student's seed (seed mod the count, so every value is equally likely
    /// for a seed drawn uniformly), or <paramref name="standard"/> when no variant is set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="to"/> is below <paramref name="from"/>, or <paramref name="standard"/> is outside the range.</exception>
    public static int Draw(string exercise, int from, int to, int standard)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        ArgumentOutOfRangeException.ThrowIfLessThan(standard, from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(standard, to);
        return Seed(exercise) is { } seed ? VariantDraw.Value(seed, from, to) : standard;
    }
}
