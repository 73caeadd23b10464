namespace Backprop;

/// <summary>One checked parameter.</summary>
/// <param name="Block">The block it belongs to, e.g. "w⁽²⁾".</param>
/// <param name="Index">Its index in the parameter vector.</param>
/// <param name="Row">Its row j inside the block's weight matrix.</param>
/// <param name="Column">Its column i inside the block (0 = bias).</param>
/// <param name="Analytic">The analytical derivative g_a.</param>
/// <param name="Numeric">The finite-difference derivative g_n.</param>
/// <param name="RelativeError">|g_a − g_n| / max(|g_a|, |g_n|, floor).</param>
/// <param name="Name">The parameter as the report prints it: for a network's weight the lecture's w⁽ˡ⁾ⱼᵢ (units j and inputs i from 1,
/// the bias i = 0) and its C# index, e.g. "w⁽¹⁾₂₁ (Layers[0].Weights[1, 1])" (see <see cref="ParameterBlock.NameOf"/>).</param>
public sealed record GradientCheckEntry(string Block, int Index, int Row, int Column, double Analytic, double Numeric, double RelativeError, string Name);
