namespace Backprop;

/// <summary>Settings of a gradient check.</summary>
public sealed record GradientCheckOptions
{
    /// <summary>The step ε of the finite difference (default 1e-5).</summary>
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
        Guard.Positive(Epsilon, nameof(Epsilon));
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
