namespace Backprop;

/// <summary>A training progress report: the optimiser's name and the entry just recorded.</summary>
/// <param name="Optimizer">The optimiser's description, as in <see cref="TrainingHistory.Optimizer"/>.</param>
/// <param name="Entry">The entry just added to the history.</param>
public sealed record TrainingProgress(string Optimizer, TrainingEntry Entry)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Optimizer}, {Entry}";
}
