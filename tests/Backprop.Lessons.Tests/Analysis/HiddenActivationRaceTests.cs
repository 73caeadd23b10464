
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Tests;

public sealed class HiddenActivationRaceTests
{
    private static IReadOnlyList<HiddenActivationRun> SmallRace() => HiddenActivationRace.Run(
        Datasets.Curve(CurveFunction.Sine, 20, seed: 1), [1, 4, 1], [Activation.Logistic, Activation.Tanh], Activation.Identity,
        Loss.HalfSumOfSquares, [1, 2, 3], s => new StochasticGradientDescent { LearningRate = 0.05, Epochs = 5, Seed = s });

    [Fact]
    public void Logistic_outputs_are_positive_and_centred_near_a_half_tanh_outputs_near_zero()
    {
        var runs = SmallRace();
        Assert.Equal(1.0, runs[0].SameSignFraction);                // σ > 0: every sample's outputs share a sign
        Assert.InRange(runs[0].MeanHiddenOutput, 0.3, 0.7);
        Assert.InRange(runs[1].MeanHiddenOutput, -0.3, 0.3);
        Assert.True(runs[1].SameSignFraction < 1.0);
    }

    [Fact]
    public void Every_seed_gives_one_curve_and_the_statistics_follow_from_the_final_losses()
    {
        var runs = SmallRace();
        foreach (var run in runs)
        {
            Assert.Equal(3, run.MeanLossCurves.Count);
            Assert.All(run.MeanLossCurves, c => Assert.InRange(c.Length, 5, 6)); // 5 epochs, with or without the loss before training
            double[] final = run.FinalMeanLoss;
            Assert.Equal(final.Average(), run.Mean, 1e-15);
            double mean = final.Average();
            Assert.Equal(Math.Sqrt(final.Sum(v => (v - mean) * (v - mean)) / 2), run.Spread, 1e-15);
        }

        Assert.Equal(runs[1].FinalMeanLoss, SmallRace()[1].FinalMeanLoss); // deterministic
    }

    [Fact]
    public void SameSignFraction_counts_rows_of_one_sign()
    {
        var z = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.1, 0.2 }, { -0.1, -0.3 }, { 0.1, -0.2 }, { 0.0, 0.5 } });
        Assert.Equal(0.5, HiddenActivationRace.SameSignFraction(z));
    }

    [Fact]
    public void Rejects_a_network_without_hidden_layer_and_empty_lists()
    {
        var data = Datasets.Curve(CurveFunction.Sine, 5);
        Func<int, IOptimizer> sgd = s => new StochasticGradientDescent { Epochs = 1, Seed = s };
        Assert.Contains("hidden layer", Assert.ThrowsAny<ArgumentException>(() => HiddenActivationRace.Run(data, [1, 1], [Activation.Tanh], Activation.Identity, Loss.HalfSumOfSquares, [1], sgd)).Message);
        Assert.ThrowsAny<ArgumentException>(() => HiddenActivationRace.Run(data, [1, 2, 1], [], Activation.Identity, Loss.HalfSumOfSquares, [1], sgd));
        Assert.ThrowsAny<ArgumentException>(() => HiddenActivationRace.Run(data, [1, 2, 1], [Activation.Tanh], Activation.Identity, Loss.HalfSumOfSquares, [], sgd));
    }

    [Fact]
    public void The_chart_draws_one_line_per_seed_in_the_palette_colour_with_one_legend_entry_per_activation()
    {
        var json = Backprop.Lessons.Charts.Tests.ChartJson.Full(Backprop.Lessons.Charts.Charts.HiddenActivationRace(SmallRace()));
        var traces = json["data"]!.ToArray();
        Assert.Equal(6, traces.Length);
        Assert.Equal(2, traces.Count(t => (bool?)t["showlegend"] == true));
        Assert.Equal("log", (string?)json["layout"]!["yaxis"]!["type"]);
    }
}
