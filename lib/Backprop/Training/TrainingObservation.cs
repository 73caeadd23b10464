namespace Backprop;

/// <summary>What an <see cref="ITrainingObserver"/> sees at a measured history entry.</summary>
/// <param name="StepUnit">What <see cref="TrainingEntry.Step"/> counts: "epoch" or "evaluation" (as <see cref="TrainingHistory.StepUnit"/>).</param>
/// <param name="Entry">The entry just added to the history.</param>
/// <param name="Network">The network, at the weights the entry was measured at.</param>
/// <param name="Pass">The forward pass over the whole training set at those weights (one row per sample).</param>
/// <param name="Gradients">The backward pass over the whole training set: ∂L/∂w of the summed loss L = Σ_n L_n.</param>
public sealed record TrainingObservation(string StepUnit, TrainingEntry Entry, Mlp Network, BatchForwardPass Pass, BatchGradients Gradients)
{
    /// <summary>The number of training samples N.</summary>
    public int SampleCount => Pass.SampleCount;
}
