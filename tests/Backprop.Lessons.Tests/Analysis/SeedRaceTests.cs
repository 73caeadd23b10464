using Backprop.Tests;

namespace Backprop.Lessons.Tests;

public sealed class SeedRaceTests
{
    private static readonly Dataset s_train = Datasets.Digits().Take(120);
    private static readonly Dataset s_test = Datasets.Digits().Take(60);
    private static readonly int[] s_sizes = [64, 8, 10];

    private static MiniBatchGradientDescent Optimiser(int seed = 99) => new() { BatchSize = 20, LearningRate = 0.1, Epochs = 2, Seed = seed };

    [Fact]
    public void Every_activation_gets_one_run_per_seed_seeding_weights_and_batch_order()
    {
        var output = new StringWriter();
        IReadOnlyList<SeedRaceResult> race = SeedRace.Run([Activation.Tanh, Activation.ReLU], [0, 1, 2], s_sizes, Optimiser(), s_train, s_test, Loss.SoftmaxCrossEntropy, output);

        Assert.Equal(["tanh", "ReLU"], race.Select(r => r.Activation.Name));
        Assert.All(race, r => Assert.Equal([0, 1, 2], r.Seeds));
        Assert.All(race, r => Assert.Equal(3, r.TestAccuracy.Count));
        Assert.Equal(2, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);

        // seed 1 of ReLU is the network built from seed 1 and trained with batch order 1 (the optimiser's own seed is replaced)
        var net = new Mlp(s_sizes, Activation.ReLU, Activation.Identity, seed: 1, Initialisation.He);
        TrainingHistory alone = Optimiser(seed: 1).Train(net, s_train.Inputs, s_train.Targets, Loss.SoftmaxCrossEntropy, s_test, null);
        Assert.Equal(alone.Last.ValidationAccuracy, race[1].TestAccuracy[1]);
        Assert.Equal(alone.Last.MeanLoss, race[1].FinalLoss[1]);
    }

    [Fact]
    public void Known_runs_are_reused_instead_of_trained_again()
    {
        TrainingHistory seed0 = SeedRace.Run([Activation.Tanh], [0], s_sizes, Optimiser(), s_train, s_test, Loss.SoftmaxCrossEntropy)[0].Histories[0];
        var asked = new List<int>();
        IReadOnlyList<SeedRaceResult> race = SeedRace.Run([Activation.Tanh], [0, 1], s_sizes, Optimiser(), s_train, s_test, Loss.SoftmaxCrossEntropy,
            known: (_, s) => { asked.Add(s); return s == 0 ? seed0 : null; });
        Assert.Equal([0, 1], asked);
        Assert.Same(seed0, race[0].Histories[0]);
        Assert.NotSame(seed0, race[0].Histories[1]);
    }

    [Fact]
    public void The_spread_is_the_mean_the_sample_sd_and_the_range()
    {
        var r = new SeedRaceResult(Activation.Tanh, [0, 1, 2, 3], [0.9, 0.8, 0.7, 1.0], [0.1, 0.2, 0.3, 0.4], []);
        Assert.Equal(0.85, r.Mean, 12);
        Assert.Equal(Math.Sqrt(0.05 / 3.0), r.StandardDeviation, 12);
        Assert.Equal(0.7, r.Min);
        Assert.Equal(1.0, r.Max);
        Assert.Contains("85.0 % ± 12.9 % (min 70.0 %, max 100.0 %) over 4 seeds", r.ToString());
    }

    [Fact]
    public void SampleStandardDeviation_divides_by_n_minus_one_and_is_zero_for_one_value()
    {
        Assert.Equal(Math.Sqrt(5.0 / 3.0), SeedRace.SampleStandardDeviation([1.0, 2.0, 3.0, 4.0]), 12);
        Assert.Equal(0.0, SeedRace.SampleStandardDeviation([0.9]));
        TestSupport.AssertThrows<ArgumentException>(() => SeedRace.SampleStandardDeviation([]), "values", "empty");
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        TestSupport.AssertThrows<ArgumentException>(() => SeedRace.Run([], [0], s_sizes, Optimiser(), s_train, s_test, Loss.SoftmaxCrossEntropy), "seeds", "0 activations");
        TestSupport.AssertThrows<ArgumentException>(() => SeedRace.Run([Activation.Tanh], [], s_sizes, Optimiser(), s_train, s_test, Loss.SoftmaxCrossEntropy), "seeds", "0 seeds");
        Assert.Throws<ArgumentNullException>(() => SeedRace.Run([Activation.Tanh], [0], s_sizes, null!, s_train, s_test, Loss.SoftmaxCrossEntropy));
    }
}
