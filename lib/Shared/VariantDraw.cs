// The arithmetic of a per-student variant's draw, which the kit (lib/Backprop.Coursework's Variant.Draw: the value a
// student's notebook and its check use) and the course tool (the grader, which reports the value each student was given
// for the exercise analysis) must agree on, in one file each of those projects compiles in, like WireContract.cs.
namespace Backprop;

/// <summary>How a variant's whole number is drawn from a student's seed.</summary>
internal static class VariantDraw
{
    /// <summary>
    /// The whole number from <paramref name="from"/> to <paramref name="to"/> (both included) that <paramref name="seed"/>
    /// draws: <paramref name="from"/> + (seed mod (to − from + 1)), so every value is equally likely for a seed drawn uniformly.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative, or <paramref name="to"/> is below <paramref name="from"/>.</exception>
    public static int Value(int seed, int from, int to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        return (int)(from + (seed % ((long)to - from + 1)));
    }
}
