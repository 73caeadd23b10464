namespace Backprop.Lessons;

/// <summary>
/// The per-layer measurements of one history entry (lessons 09 and 11), taken by a
/// <see cref="LayerDiagnosticsRecorder"/> from the entry's pass over the whole training set.
/// </summary>
/// <param name="Step">The entry's <see cref="TrainingEntry.Step"/>: the epoch (0 = the initial weights) or the gradient evaluation.</param>
/// <param name="WeightGradientNorms">Per layer l: ‖(1/N) ∂L/∂w‖ of <c>Layers[l]</c> without the bias column (<see cref="LayerStatistics.WeightGradientNorm"/>).</param>
/// <param name="BiasGradientNorms">Per layer l: ‖(1/N) ∂L/∂w_j0‖ = ‖(1/N) Σ_n δ_j‖, the bias column of <c>Layers[l]</c>'s gradient — the "speed of learning".</param>
/// <param name="DeadFractions">Per hidden layer: the fraction of dead ReLU units (a_j ≤ 0 for every training sample); NaN for other activations.</param>
/// <param name="SaturatedFractions">Per hidden layer: the fraction of (sample, unit) pairs of a σ/tanh layer with |h'(a_j)| &lt; <see cref="LayerStatistics.SaturationThreshold"/>; NaN for other activations.</param>
public sealed record LayerDiagnostics(
    int Step,
    IReadOnlyList<double> WeightGradientNorms,
    IReadOnlyList<double> BiasGradientNorms,
    IReadOnlyList<double> DeadFractions,
    IReadOnlyList<double> SaturatedFractions);
