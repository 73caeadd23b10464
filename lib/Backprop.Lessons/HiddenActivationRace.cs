using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// One hidden activation's runs in a <see cref="HiddenActivationRace"/>: the training curve of every seed and what its
/// hidden outputs look like before training.
/// </summary>
/// <param name="Activation">The activation of every hidden layer.</param>
/// <param name="Seeds">The seeds of the networks, one run each.</param>
/// <param name="MeanLossCurves">Per seed, the mean training loss L/N after each recorded epoch.</param>
/// <param name="MeanHiddenOutput">The mean of z_j over every unit of the first hidden layer and every sample, averaged over the seeds, before training.</param>
/// <param name="SameSignFraction">The fraction of samples whose first-hidden-layer outputs z_j all have one sign, averaged over the seeds, before training:
/// for such a sample every weight into a unit of the next layer, ∂L_n/∂w_ji = δ_j z_i, moves in the same direction.</param>
public sealed record HiddenActivationRun(
    Activation Activation, IReadOnlyList<int> Seeds, IReadOnlyList<double[]> MeanLossCurves, double MeanHiddenOutput, double SameSignFraction)
{
    /// <summary>The last mean loss L/N of each seed.</summary>
    public double[] FinalMeanLoss => [.. MeanLossCurves.Select(c => c[^1])];

    /// <summary>The mean of <see cref="FinalMeanLoss"/> over the seeds.</summary>
    public double Mean => FinalMeanLoss.Average();

    /// <summary>The sample standard deviation of <see cref="FinalMeanLoss"/> over the seeds (0 for one seed).</summary>
    public double Spread
    {
        get
        {
            double[] final = FinalMeanLoss;
            if (final.Length < 2)
            {
                return 0.0;
            }

            double mean = final.Average();
            return Math.Sqrt(final.Sum(v => (v - mean) * (v - mean)) / (final.Length - 1));
        }
    }
}

/// <summary>
/// Races hidden activations on the same data, the same architecture, the same optimiser and the same seeds (lecture:
/// tanh is preferred to the logistic sigmoid for hidden units; LeCun et al., "Efficient BackProp": zero-centred
/// outputs give the next layer inputs of mean ≈ 0, so a unit's weight updates are not forced to share a sign, and the
/// error surface is better conditioned). Deterministic given the seeds. Lesson 04.
/// </summary>
public static class HiddenActivationRace
{
    /// <summary>
    /// For every activation and every seed, builds the network <paramref name="layerSizes"/> with that hidden
    /// activation and <paramref name="output"/> outputs from that seed (the seed draws the same standard weights,
    /// scaled by the same initialisation rule), measures its first hidden layer on the training inputs, and trains
    /// it with a fresh optimiser from <paramref name="optimizer"/>.
    /// </summary>
    /// <param name="data">The training set.</param>
    /// <param name="layerSizes">Units per layer from the input; at least one hidden layer.</param>
    /// <param name="hidden">The hidden activations to race.</param>
    /// <param name="output">The output activation.</param>
    /// <param name="loss">The error function.</param>
    /// <param name="seeds">The seeds, at least one.</param>
    /// <param name="optimizer">Makes the optimiser of one run from its seed.</param>
    /// <exception cref="ArgumentException">No hidden layer, no activation or no seed.</exception>
    public static IReadOnlyList<HiddenActivationRun> Run(
        Dataset data, int[] layerSizes, IReadOnlyList<Activation> hidden, Activation output, Loss loss, IReadOnlyList<int> seeds, Func<int, IOptimizer> optimizer)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(layerSizes);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (layerSizes.Length < 3)
        {
            throw new ArgumentException($"a race of hidden activations needs at least one hidden layer, but the sizes are [{string.Join(", ", layerSizes)}].", nameof(layerSizes));
        }

        if (hidden.Count == 0)
        {
            throw new ArgumentException("need at least one hidden activation to race.", nameof(hidden));
        }

        if (seeds.Count == 0)
        {
            throw new ArgumentException("need at least one seed.", nameof(seeds));
        }

        var runs = new List<HiddenActivationRun>(hidden.Count);
        foreach (Activation h in hidden)
        {
            var curves = new List<double[]>(seeds.Count);
            double meanOutput = 0.0, sameSign = 0.0;
            foreach (int seed in seeds)
            {
                var net = new Mlp(layerSizes, h, output, seed);
                Matrix<double> z = net.Forward(data.Inputs).Z(1);
                meanOutput += z.Enumerate().Average() / seeds.Count;
                sameSign += SameSignFraction(z) / seeds.Count;
                curves.Add(optimizer(seed).Train(net, data, loss).MeanLoss);
            }

            runs.Add(new HiddenActivationRun(h, [.. seeds], curves, meanOutput, sameSign));
        }

        return runs;
    }

    /// <summary>
    /// The fraction of rows (samples) of <paramref name="z"/> whose entries are all positive or all negative.
    /// </summary>
    /// <param name="z">One row of hidden outputs per sample.</param>
    public static double SameSignFraction(Matrix<double> z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.RowCount == 0)
        {
            return 0.0;
        }

        int same = 0;
        for (int n = 0; n < z.RowCount; n++)
        {
            Vector<double> row = z.Row(n);
            if (row.All(v => v > 0.0) || row.All(v => v < 0.0))
            {
                same++;
            }
        }

        return (double)same / z.RowCount;
    }
}
