namespace Backprop;

/// <summary>The result of one gradient check for one block of parameters (one layer of an <see cref="Mlp"/>).</summary>
/// <param name="Name">The block, e.g. "w⁽¹⁾".</param>
/// <param name="ParameterCount">Parameters in the block.</param>
/// <param name="CheckedCount">Parameters actually checked (all, or a sample).</param>
/// <param name="AnalyticNorm">‖g_a‖ over the checked parameters.</param>
/// <param name="NumericNorm">‖g_n‖ over the checked parameters.</param>
/// <param name="RelativeError">The norm-wise relative error ‖g_a − g_n‖ / max(‖g_a‖, ‖g_n‖) (0 when both vanish; NaN when the block has a <see cref="Problem"/>).</param>
/// <param name="WorstParameterError">The largest per-parameter relative error in the block.</param>
public sealed record GradientCheckBlock(
    string Name, int ParameterCount, int CheckedCount, double AnalyticNorm, double NumericNorm, double RelativeError, double WorstParameterError)
{
    /// <summary>
    /// Why the block could not be verified (e.g. a numerical derivative is NaN), or null. A block with a
    /// problem is <see cref="GradientVerdict.Wrong"/>: a checker must never call an unverified gradient right.
    /// </summary>
    public string? Problem { get; init; }

    /// <summary>The verdict on <see cref="RelativeError"/>; <see cref="GradientVerdict.Wrong"/> when there is a <see cref="Problem"/>.</summary>
    public GradientVerdict Verdict => Problem is null ? GradientThresholds.Judge(RelativeError) : GradientVerdict.Wrong;
}
