using System.Globalization;

namespace Backprop;

/// <summary>Settings of a gradient check.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The smallest step ε a check accepts: below it the rounding of L, divided by ε, swamps the difference.</summary>
    public const double MinimumEpsilon = 1e-10;

    /// <summary>The largest step ε a check accepts: above it the truncation error, O(ε²) for central differences, swamps it.</summary>
    public const double MaximumEpsilon = 1e-2;

    /// <summary>
    /// The step ε of the finite difference, from <see cref="MinimumEpsilon"/> to <see cref="MaximumEpsilon"/> (default 1e-5,
    /// where the truncation error O(ε²) and the rounding error ≈ 1e-16 |L| / ε of central differences balance).
    /// Outside that range a correct gradient is called Wrong, so a check refuses it; <see cref="GradientChecker.Derivative"/>
    /// takes any ε &gt; 0, to explore the two errors.
    /// </summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>Central (default) or forward differences.</summary>
    public FiniteDifference Method { get; init; } = FiniteDifference.Central;

    /// <summary>
    /// At most this many parameters are checked per block (distinct ones, drawn from <see cref="Seed"/>);
    /// null checks every parameter. Each check costs two loss evaluations.
    /// </summary>
    public int? MaxParametersPerBlock { get; init; }

    /// <summary>The seed of the sample of parameters when <see cref="MaxParametersPerBlock"/> is set.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The absolute floor in the per-parameter relative error |g_a − g_n| / max(|g_a|, |g_n|, floor),
    /// so gradients that are both nearly zero do not raise false alarms (default 1e-8).
    /// </summary>
    public double AbsoluteFloor { get; init; } = 1e-8;

    /// <summary>How many of the worst parameters the report names (default 5).</summary>
    public int WorstCount { get; init; } = 5;

    internal void Validate()
    {
        if (!(Epsilon >= MinimumEpsilon && Epsilon <= MaximumEpsilon))
        {
            throw new ArgumentOutOfRangeException(
                nameof(Epsilon),
                Epsilon,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Epsilon (the step ε of the finite difference) must lie between {MinimumEpsilon:G} and {MaximumEpsilon:G} for a gradient check, but it is {Guard.Describe(Epsilon)}. Below {MinimumEpsilon:G} the rounding of L (about 1e-16 · |L|) divided by ε swamps the difference, above {MaximumEpsilon:G} the truncation error (ε² for central differences) does: either way a correct gradient would be called Wrong. Use the default 1e-5; GradientChecker.Derivative takes any ε > 0 to explore the two errors."));
        }

        Guard.Positive(AbsoluteFloor, nameof(AbsoluteFloor));
        Guard.Defined(Method, nameof(Method));
        if (MaxParametersPerBlock is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxParametersPerBlock), MaxParametersPerBlock, "MaxParametersPerBlock must be at least 1 (or null for all parameters).");
        }

        if (WorstCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(WorstCount), WorstCount, "WorstCount must be 0 or more.");
        }
    }
}
