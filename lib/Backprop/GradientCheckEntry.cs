namespace Backprop;

/// <summary>One checked parameter.</summary>
/// <param name="Block">The block it belongs to, e.g. "w(2)".</param>
/// <param name="Index">Its index in the parameter vector.</param>
/// <param name="Row">Its row j inside the block's weight matrix.</param>
/// <param name="Column">Its column i inside the block (0 = bias).</param>
/// <param name="Analytic">The analytical derivative g_a.</param>
/// <param name="Numeric">The finite-difference derivative g_n.</param>
/// <param name="RelativeError">|g_a − g_n| / max(|g_a|, |g_n|, floor).</param>
public sealed record GradientCheckEntry(string Block, int Index, int Row, int Column, double Analytic, double Numeric, double RelativeError);
