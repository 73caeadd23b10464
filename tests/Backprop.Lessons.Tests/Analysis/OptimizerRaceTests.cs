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

    [Fact]
    public void Line_search_iterates_are_the_last_trial_point_of_each_search()
    {
        static Vector<double> V(params double[] v) => Vector<double>.Build.Dense(v);

        // Start (0,0); search along x: trials (1,0), (0.5,0); then along y from (0.5,0): (0.5,1), (0.5,0.3); then (1,1).
        Vector<double>[] points = [V(0, 0), V(1, 0), V(0.5, 0), V(0.5, 1), V(0.5, 0.3), V(1, 1)];
        Assert.Equal([0, 2, 4, 5], LineSearchIterates.Find(points));
        Assert.Equal([0], LineSearchIterates.Find([V(3, 4)]));
        Assert.Empty(LineSearchIterates.Find([]));
    }

    [Fact]
    public void Line_search_methods_decrease_the_loss_at_every_iteration_and_their_iterations_match_the_optimiser_count()
    {
        IReadOnlyList<RaceRun> runs = OptimizerRace.Run(Start(), s_data, Loss.HalfSumOfSquares,
            [new ConjugateGradient { MaxIterations = 30 }, new QuasiNewton { MaxIterations = 30 }, new BatchGradientDescent { Epochs = 6 }]);

        foreach (RaceRun run in runs.Take(2))
        {
            Assert.Equal(0, run.LossRises);
            Assert.True(run.Iterations.Count < run.History.Entries.Count, $"{run.Optimizer.Name}: iterations are fewer than evaluations");
            Assert.Equal(run.History.Iterations + 1, run.Iterations.Count); // the start and one point per iteration
            Assert.True(run.Iterations[^1].MeanLoss >= run.History.BestMeanLossValue, "no iterate is below the best evaluation");
        }

        Assert.Equal(runs[2].History.Entries, runs[2].Iterations);
    }

    [Fact]
    public void Rises_counts_the_steps_up()
    {
        TrainingEntry E(double meanLoss) => new(0, 0, 0, meanLoss, meanLoss, double.NaN, double.NaN, TimeSpan.Zero);
        Assert.Equal(2, OptimizerRace.Rises([E(3), E(4), E(2), E(2), E(5), E(1)]));
        Assert.Equal(0, OptimizerRace.Rises([E(1)]));
    }

    [Fact]
    public void OverSeeds_collects_one_result_per_seed_and_optimiser()
    {
        IReadOnlyList<SeedSpread> spread = OptimizerRace.OverSeeds(
            [1, 2, 3], seed => new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: seed), s_data, Loss.HalfSumOfSquares,
            seed => [new StochasticGradientDescent { LearningRate = 0.05, Epochs = 4, Seed = seed }, new QuasiNewton { MaxIterations = 20 }], target: 1e9);

        Assert.Equal(["online SGD", "quasi-Newton"], spread.Select(s => s.Optimizer));
        Assert.All(spread, s => Assert.Equal(3, s.FinalMeanLoss.Count));
        Assert.All(spread, s => Assert.Equal(3, s.Reached)); // a target above every loss is reached at once
        Assert.Equal(s_median(spread[1].FinalMeanLoss), spread[1].MedianFinalMeanLoss);
        Assert.Contains("3 of 3 runs", spread[0].ToString());

        static double s_median(IReadOnlyList<double> v) => v.Order().ElementAt(1);
    }

    [Fact]
    public void UpdateCost_counts_N_samples_per_batch_update_and_one_per_online_update()
    {
        IReadOnlyList<UpdateCostRow> rows = UpdateCost.Measure(Start(), s_data, Loss.HalfSumOfSquares, [2, 12], repeats: 3);
        Assert.Equal([2, 12], rows.Select(r => r.SamplesPerBatchUpdate));
        Assert.All(rows, r => Assert.Equal(1, r.SamplesPerOnlineUpdate));
        Assert.All(rows, r => Assert.True(r.BatchUpdateSeconds > 0 && r.OnlineUpdateSeconds > 0));
        Assert.Equal("sizes", Assert.ThrowsAny<ArgumentException>(() => UpdateCost.Measure(Start(), s_data, Loss.HalfSumOfSquares, [13])).ParamName);
    }
}
