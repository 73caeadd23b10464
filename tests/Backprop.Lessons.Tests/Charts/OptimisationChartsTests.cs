using Newtonsoft.Json.Linq;

namespace Backprop.Lessons.Charts.Tests;

/// <summary>OptimisationCharts.cs: gradient field, optimiser race and curve fit (lessons 07 and 08).</summary>
public sealed class OptimisationChartsTests
{
    [Fact]
    public void GradientField_has_the_contour_the_arrows_and_the_labelled_points()
    {
        var json = new ChartJson(Charts.GradientField((x, y) => (x * x) - (y * y), -1, 1, -1, 1, "x² − y²", [("saddle (0, 0)", 0.0, 0.0)], arrows: 5));

        Assert.Equal("contour", (string?)json.Trace("f(x, y)")["type"]);
        Assert.Contains("gradient ∇f (arrows)", json.LegendNames);
        JObject points = json.Trace("stationary points");
        Assert.Equal(["saddle (0, 0)"], ChartJson.Strings(points["text"]));
        Assert.Equal([0.0], ChartJson.Numbers(points["x"]));
        Assert.Equal("x", json.AxisTitle("xaxis"));
        Assert.Equal("y", json.AxisTitle("yaxis"));
        Assert.Equal("x² − y²", json.Title);
    }

    [Fact]
    public void GradientField_arrows_point_uphill_and_vanish_at_the_stationary_point()
    {
        // f = x² + y²: ∇f = (2x, 2y) points away from the minimum at the origin.
        var json = new ChartJson(Charts.GradientField((x, y) => (x * x) + (y * y), -1, 1, -1, 1, "bowl", arrows: 5));
        double[] px = ChartJson.Numbers(json.Trace("gradient ∇f (arrows)")["x"]);
        double[] py = ChartJson.Numbers(json.Trace("gradient ∇f (arrows)")["y"]);

        // Segments of (start, end, NaN); the first of every three segments is a shaft.
        int segments = px.Length / 3;
        Assert.Equal(0, px.Length % 3);
        Assert.Equal(0, segments % 3);
        Assert.Equal((5 * 5) - 1, segments / 3); // every grid point but the origin, where ∇f = 0
        for (int s = 0; s < segments; s += 3)
        {
            int k = 3 * s;
            Assert.True(double.IsNaN(px[k + 2]));
            double before = Math.Sqrt((px[k] * px[k]) + (py[k] * py[k]));
            double after = Math.Sqrt((px[k + 1] * px[k + 1]) + (py[k + 1] * py[k + 1]));
            Assert.True(after > before, $"the arrow from ({px[k]}, {py[k]}) should point away from the minimum");
        }
    }

    [Fact]
    public void GradientField_rejects_too_few_arrows_and_an_empty_range()
    {
        Assert.Equal("arrows", Assert.ThrowsAny<ArgumentException>(() => Charts.GradientField((x, y) => x, -1, 1, -1, 1, "t", arrows: 1)).ParamName);
        Assert.ThrowsAny<ArgumentException>(() => Charts.GradientField((x, y) => x, 1, -1, -1, 1, "t"));
    }

    [Fact]
    public void CurveFit_adds_the_data_to_the_network_output()
    {
        Dataset data = ChartTestData.Curve(6);
        var net = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 4);
        var json = new ChartJson(Charts.CurveFit(net, data, "sine"));

        Assert.Equal(["data t_n", "y(x)", "w<sup>(2)</sup><sub>11</sub> z<sub>1</sub>(x)", "w<sup>(2)</sup><sub>12</sub> z<sub>2</sub>(x)", "w<sup>(2)</sup><sub>13</sub> z<sub>3</sub>(x)", "bias w<sup>(2)</sup><sub>10</sub>"], json.LegendNames);
        Assert.Equal(data.Targets.Column(0).ToArray(), ChartJson.Numbers(json.Trace("data t_n")["y"]));
        Assert.Equal("sine", json.Title);
        Assert.Equal("input x", json.AxisTitle("xaxis"));
        Assert.Equal("t and y(x)", json.AxisTitle("yaxis"));
        Assert.Equal("contributions to y(x)", json.AxisTitle("yaxis2"));

        // The fit's panel is fixed to the data's range (padded), whatever size the contributions have.
        double[] range = ChartJson.Numbers(json.Axis("yaxis")["range"]);
        double[] t = data.Targets.Column(0).ToArray();
        Assert.True(range[0] < t.Min() && range[1] > t.Max() && range[1] - range[0] < 2 * (t.Max() - t.Min()), $"range {range[0]} … {range[1]}");
    }

    [Fact]
    public void CurveFit_draws_units_whose_lines_coincide_as_one_line_named_for_each()
    {
        // Five units, units 4 and 5 identical (same weights in and out): drawn apart, unit 5's line would hide unit 4's.
        var net = new Mlp([1, 5, 1], Activation.Tanh, Activation.Identity, seed: 4);
        for (int i = 0; i < 2; i++)
        {
            net.Layers[0].Weights[4, i] = net.Layers[0].Weights[3, i];
        }

        net.Layers[1].Weights[0, 5] = net.Layers[1].Weights[0, 4];
        var json = new ChartJson(Charts.CurveFit(net, ChartTestData.Curve(6), "five units"));

        string Unit(int j) => $"w<sup>(2)</sup><sub>1{j}</sub> z<sub>{j}</sub>(x)";
        Assert.Equal(["data t_n", "y(x)", Unit(1), Unit(2), Unit(3), $"{Unit(4)} ≈ {Unit(5)}", "bias w<sup>(2)</sup><sub>10</sub>"], json.LegendNames);
    }

    [Fact]
    public void Coinciding_groups_lines_within_the_tolerance_and_keeps_the_others_apart()
    {
        double[][] lines = [[0, 0, 0], [1, 2, 3], [0, 0.004, -0.004], [1, 2, 3.02], [0.006, 0, 0]];
        var groups = Charts.Coinciding(lines, 0.005);
        Assert.Equal([[1, 3], [2], [4], [5]], groups);
    }

    [Fact]
    public void CurveFit_rejects_data_with_more_than_one_input_or_target()
    {
        var net = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 4);
        var e = Assert.ThrowsAny<ArgumentException>(() => Charts.CurveFit(net, ChartTestData.Classes(), "t"));
        Assert.Equal("data", e.ParamName);
        Assert.Contains("2 and 3", e.Message);
    }

    [Fact]
    public void Race_draws_the_loss_at_every_iteration_in_two_panels_on_one_log_range()
    {
        Dataset data = ChartTestData.Curve(10);
        var start = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 4);
        IOptimizer[] optimizers = [new BatchGradientDescent { Epochs = 5 }, new QuasiNewton { MaxIterations = 4 }];
        IReadOnlyList<RaceRun> runs = OptimizerRace.Run(start, data, Loss.HalfSumOfSquares, optimizers);
        var json = new ChartJson(Charts.Race(runs, "race"));

        Assert.Equal(["batch GD", "quasi-Newton"], json.LegendNames);
        Assert.Equal(8, json.Traces.Count);   // per panel and run: the line and the marker where it ended
        Assert.Equal("passes over the data (log)", json.AxisTitle("xaxis"));
        Assert.Equal("gradient evaluations (log)", json.AxisTitle("xaxis2"));
        Assert.Equal("log", json.AxisType("xaxis"));
        Assert.Equal("log", json.AxisType("xaxis2"));
        Assert.Equal("log", json.AxisType("yaxis"));
        Assert.Equal("log", json.AxisType("yaxis2"));
        Assert.Equal(ChartJson.Numbers(json.Axis("yaxis")["range"]), ChartJson.Numbers(json.Axis("yaxis2")["range"]));
        Assert.Equal("race", json.Title);

        // Quasi-Newton's line is its iterations (accepted points) once a pass is spent, not every evaluation.
        JObject qn = json.Traces.First(t => (string?)t["name"] == "quasi-Newton");
        Assert.Equal(runs[1].Iterations.Where(e => e.PassesOverData > 0).Select(e => e.MeanLoss), ChartJson.Numbers(qn["y"]));
        Assert.True(runs[1].Iterations.Count < runs[1].History.Entries.Count);
        Assert.Equal("rgba(140, 86, 75, 1.0)", (string?)qn["line"]!["color"]); // Palette.OfOptimizer("quasi-Newton"), #8c564b
        JObject end = json.Traces.First(t => (string?)t["name"] == "quasi-Newton (end)");
        Assert.Equal([runs[1].Iterations[^1].MeanLoss], ChartJson.Numbers(end["y"]));
    }

    [Fact]
    public void Race_keeps_six_decades_and_marks_a_run_that_falls_below_them()
    {
        Dataset data = ChartTestData.Curve(10);
        var start = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 4);
        RaceRun run = OptimizerRace.Run(start, data, Loss.HalfSumOfSquares, [new BatchGradientDescent { Epochs = 3 }])[0];
        TrainingEntry E(int step, double meanLoss) => run.Iterations[0] with { Step = step, GradientEvaluations = step, PassesOverData = step, MeanLoss = meanLoss };
        RaceRun steep = run with { Iterations = [E(0, 1.0), E(1, 1e-3), E(2, 1e-12)] };
        RaceRun slow = run with { Optimizer = new QuasiNewton(), Iterations = [E(0, 1.0), E(1, 0.5), E(2, 0.1)] };
        var json = new ChartJson(Charts.Race([steep, slow], "race"));

        double[] range = ChartJson.Numbers(json.Axis("yaxis")["range"]);
        Assert.Equal(-Charts.RaceDecades - 0.1, range[0], 9);   // 1e-12 would have taken twelve decades
        JObject end = json.Traces.First(t => (string?)t["name"] == "batch GD (end)");
        Assert.Equal(["↓ 1.0E-12"], ChartJson.Strings(end["text"]));
        Assert.Equal([1e-6], ChartJson.Numbers(end["y"]));
        JObject inside = json.Traces.First(t => (string?)t["name"] == "quasi-Newton (end)");
        Assert.Equal([0.1], ChartJson.Numbers(inside["y"]));
    }

    [Fact]
    public void GradientField_names_the_function_in_the_legend()
    {
        var json = new ChartJson(Charts.GradientField((x, y) => x * y, -1, 1, -1, 1, "g", arrows: 3, function: "g"));
        Assert.Contains("gradient ∇g (arrows)", json.LegendNames);
        Assert.Equal("contour", (string?)json.Trace("g(x, y)")["type"]);
    }
}
