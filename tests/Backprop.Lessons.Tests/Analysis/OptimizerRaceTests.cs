using MathNet.Numerics.LinearAlgebra;

using Backprop.Tests;

namespace Backprop.Lessons.Tests;

public sealed class OptimizerRaceTests
{
    private static readonly Dataset s_data = Datasets.Curve(CurveFunction.Sine, 12, seed: 3);

    private static Mlp Start() => new([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 4);

    private static IOptimizer[] Optimizers() =>
    [
        new StochasticGradientDescent { LearningRate = 0.05, Epochs = 4, Seed = 7 },
        new MiniBatchGradientDescent { BatchSize = 4, Epochs = 4, Seed = 7 },
        new BatchGradientDescent { Epochs = 6 },
        new ConjugateGradient { MaxIterations = 5 },
        new QuasiNewton { MaxIterations = 5 },
    ];

    [Fact]
    public void Every_optimiser_starts_from_the_same_weights_and_the_start_is_left_alone()
    {
        Mlp start = Start();
        Vector<double> before = start.GetParameters();
        double initial = start.ComputeLoss(s_data.Inputs, s_data.Targets, Loss.HalfSumOfSquares) / s_data.Count;

        IReadOnlyList<RaceRun> runs = OptimizerRace.Run(start, s_data, Loss.HalfSumOfSquares, Optimizers());

        Assert.Equal(before, start.GetParameters());
        Assert.Equal(["online SGD", "mini-batch SGD", "batch GD", "conjugate gradient", "quasi-Newton"], runs.Select(r => r.Optimizer.Name));
        Assert.All(runs, r => Assert.Equal(initial, r.History.Entries[0].MeanLoss, 1e-12));
        Assert.All(runs, r => Assert.NotSame(start, r.Network));
        Assert.All(runs, r => Assert.NotEqual(before, r.Network.GetParameters()));
        Assert.All(runs, r => Assert.True(r.History.BestMeanLossValue < initial, $"{r.Optimizer.Name} should lower the loss"));
        Assert.Equal(runs.Count, runs.Select(r => r.Network).Distinct().Count());
    }

    [Fact]
    public void A_race_is_deterministic_given_the_seeds()
    {
        IReadOnlyList<RaceRun> first = OptimizerRace.Run(Start(), s_data, Loss.HalfSumOfSquares, Optimizers());
        IReadOnlyList<RaceRun> second = OptimizerRace.Run(Start(), s_data, Loss.HalfSumOfSquares, Optimizers());

        for (int r = 0; r < first.Count; r++)
        {
            Assert.Equal(first[r].History.MeanLoss, second[r].History.MeanLoss);
            Assert.Equal(first[r].History.GradientEvaluations, second[r].History.GradientEvaluations);
            Assert.Equal(first[r].Network.GetParameters(), second[r].Network.GetParameters());
        }

        // A different shuffling seed gives a different online-SGD run.
        RaceRun reseeded = OptimizerRace.Run(Start(), s_data, Loss.HalfSumOfSquares, [new StochasticGradientDescent { LearningRate = 0.05, Epochs = 4, Seed = 8 }])[0];
        Assert.NotEqual(first[0].History.MeanLoss, reseeded.History.MeanLoss);
    }

    [Fact]
    public void The_log_gets_a_line_as_each_run_starts_and_one_as_it_ends()
    {
        var log = new StringWriter();
        OptimizerRace.Run(Start(), s_data, Loss.HalfSumOfSquares, [new BatchGradientDescent { Epochs = 2 }, new QuasiNewton { MaxIterations = 2 }], log);

        string[] lines = log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("▶ batch GD", lines[0]);
        Assert.StartsWith("  batch GD: L/N", lines[1]);
        Assert.StartsWith("▶ quasi-Newton", lines[2]);
        Assert.StartsWith("  quasi-Newton: L/N", lines[3]);
    }

    [Fact]
    public void FirstBelow_finds_the_first_entry_whose_best_loss_so_far_beats_the_target()
    {
        TrainingHistory history = OptimizerRace.Run(Start(), s_data, Loss.HalfSumOfSquares, [new BatchGradientDescent { Epochs = 6 }])[0].History;
        double[] best = history.BestMeanLoss;
        double target = (best[2] + best[3]) / 2; // between entries 2 and 3
        Assert.True(best[3] < best[2], "batch GD should improve every epoch on this problem");

        Assert.Same(history.Entries[3], OptimizerRace.FirstBelow(history, target));
        Assert.Same(history.Entries[0], OptimizerRace.FirstBelow(history, double.MaxValue));
        Assert.Null(OptimizerRace.FirstBelow(history, history.BestMeanLossValue));
    }

    [Fact]
    public void Summary_reports_the_work_to_reach_the_target_or_null()
    {
        IReadOnlyList<RaceRun> runs = OptimizerRace.Run(Start(), s_data, Loss.HalfSumOfSquares, Optimizers());
        double target = runs.Max(r => r.History.BestMeanLossValue) * 1.0001; // every run reaches it

        IReadOnlyList<RaceSummaryRow> rows = OptimizerRace.Summary(runs, target);

        Assert.Equal(runs.Select(r => r.Optimizer.Name), rows.Select(r => r.Optimizer));
        for (int i = 0; i < runs.Count; i++)
        {
            TrainingEntry hit = OptimizerRace.FirstBelow(runs[i].History, target)!;
            Assert.Equal(runs[i].History.BestMeanLossValue, rows[i].FinalMeanLoss);
            Assert.Equal(target, rows[i].Target);
            Assert.Equal(hit.PassesOverData, rows[i].PassesToTarget);
            Assert.Equal(hit.GradientEvaluations, rows[i].EvaluationsToTarget);
            Assert.NotNull(rows[i].SecondsToTarget);
            Assert.DoesNotContain("never reached", rows[i].ToString());
        }

        RaceSummaryRow never = OptimizerRace.Summary(runs, 1e-300)[0];
        Assert.Null(never.PassesToTarget);
        Assert.Null(never.EvaluationsToTarget);
        Assert.Null(never.SecondsToTarget);
        Assert.Contains("never reached", never.ToString());
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => OptimizerRace.Summary([], 0.0), "target", "> 0");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => OptimizerRace.Summary([], double.NaN), "target");
        Assert.Throws<ArgumentNullException>(() => OptimizerRace.Run(Start(), s_data, Loss.HalfSumOfSquares, [new BatchGradientDescent { Epochs = 1 }, null!]));
        Assert.Throws<ArgumentNullException>(() => OptimizerRace.Run(null!, s_data, Loss.HalfSumOfSquares, []));
        Assert.Empty(OptimizerRace.Run(Start(), s_data, Loss.HalfSumOfSquares, []));
    }
}
