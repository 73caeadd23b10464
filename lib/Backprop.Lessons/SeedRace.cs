using System.Globalization;

namespace Backprop.Lessons;

/// <summary>One activation's results over the seeds of a <see cref="SeedRace"/>: one value per seed, with their spread.</summary>
/// <param name="Activation">The hidden units raced.</param>
/// <param name="Seeds">The seeds, in order (each seeds both the initial weights and the mini-batch order).</param>
/// <param name="TestAccuracy">The test accuracy after the last epoch, one per seed.</param>
/// <param name="FinalLoss">The training loss L/N after the last epoch, one per seed.</param>
/// <param name="Histories">The training histories, one per seed (per-epoch loss and test accuracy).</param>
public sealed record SeedRaceResult(Activation Activation, IReadOnlyList<int> Seeds, IReadOnlyList<double> TestAccuracy, IReadOnlyList<double> FinalLoss, IReadOnlyList<TrainingHistory> Histories)
{
    /// <summary>The mean test accuracy over the seeds.</summary>
    public double Mean => TestAccuracy.Average();

    /// <summary>The sample standard deviation of the test accuracy over the seeds (n − 1 in the denominator; 0 for one seed).</summary>
    public double StandardDeviation => SeedRace.SampleStandardDeviation(TestAccuracy);

    /// <summary>The lowest test accuracy over the seeds.</summary>
    public double Min => TestAccuracy.Min();

    /// <summary>The highest test accuracy over the seeds.</summary>
    public double Max => TestAccuracy.Max();

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Activation.Name,-22} test accuracy {Mean:P1} ± {StandardDeviation:P1} (min {Min:P1}, max {Max:P1}) over {Seeds.Count} seeds");
}

/// <summary>
/// A race between activation functions repeated over several seeds, so that a ranking comes with its spread: for every
/// activation and seed s a network of the given sizes is built from seed s (with the activation's default initialisation,
/// <see cref="Initialisation.DefaultFor"/>) and trained by mini-batch gradient descent whose batch order also uses seed s.
/// Lesson 12.
/// </summary>
public static class SeedRace
{
    /// <summary>Runs the race.</summary>
    /// <param name="activations">The hidden-unit activations to race.</param>
    /// <param name="seeds">The seeds, e.g. 0 … 4.</param>
    /// <param name="sizes">The layer sizes, e.g. 64-30-30-30-30-10.</param>
    /// <param name="optimiser">The optimiser for seed 0; its <see cref="MiniBatchGradientDescent.Seed"/> is replaced by each seed.</param>
    /// <param name="train">The training set.</param>
    /// <param name="test">The test set, measured after every epoch.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="progress">Written to after each activation's runs (null: silent).</param>
    /// <param name="known">
    /// Runs already made with exactly these settings (e.g. the single-seed race of seed 0): given an activation and a
    /// seed it returns that run's history, which is used instead of training again, or null to train. Null: train every run.
    /// </param>
    /// <exception cref="ArgumentException">No activation or no seed.</exception>
    public static IReadOnlyList<SeedRaceResult> Run(
        IEnumerable<Activation> activations, IEnumerable<int> seeds, int[] sizes, MiniBatchGradientDescent optimiser,
        Dataset train, Dataset test, Loss loss, TextWriter? progress = null, Func<Activation, int, TrainingHistory?>? known = null)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(optimiser);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(loss);
        Activation[] hs = [.. activations];
        int[] ss = [.. seeds];
        if (hs.Length == 0 || ss.Length == 0)
        {
            throw new ArgumentException($"the race needs at least one activation and one seed, but it got {hs.Length} activations and {ss.Length} seeds.", nameof(seeds));
        }

        var results = new List<SeedRaceResult>();
        foreach (Activation h in hs)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var histories = new List<TrainingHistory>();
            foreach (int s in ss)
            {
                if (known?.Invoke(h, s) is { } done)
                {
                    histories.Add(done);
                    continue;
                }

                var net = new Mlp(sizes, h, Activation.Identity, seed: s, Initialisation.DefaultFor(h));
                var run = new MiniBatchGradientDescent
                {
                    BatchSize = optimiser.BatchSize, LearningRate = optimiser.LearningRate, Momentum = optimiser.Momentum, Epochs = optimiser.Epochs, Seed = s,
                };
                histories.Add(run.Train(net, train.Inputs, train.Targets, loss, test, null));
            }

            var result = new SeedRaceResult(h, ss, [.. histories.Select(r => r.Last.ValidationAccuracy)], [.. histories.Select(r => r.Last.MeanLoss)], histories);
            results.Add(result);
            progress?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {h.Name}: {ss.Length} seeds, {started.Elapsed.TotalSeconds:F1} s"));
        }

        return results;
    }

    /// <summary>The sample standard deviation √(Σ (x − x̄)² / (n − 1)); 0 for a single value.</summary>
    /// <exception cref="ArgumentException">values is empty.</exception>
    public static double SampleStandardDeviation(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("values must hold at least one number, but it is empty.", nameof(values));
        }

        if (values.Count == 1)
        {
            return 0.0;
        }

        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
