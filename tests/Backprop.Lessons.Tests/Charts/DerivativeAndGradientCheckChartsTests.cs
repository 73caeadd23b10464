using Newtonsoft.Json.Linq;

namespace Backprop.Lessons.Charts.Tests;

/// <summary>DerivativeCharts.cs (lesson 04) and GradientCheckCharts.cs (lesson 06).</summary>
public sealed class DerivativeAndGradientCheckChartsTests
{
    [Fact]
    public void ActivationsAndDerivatives_draws_each_function_solid_and_its_derivative_dashed_in_the_palette_colour()
    {
        var json = new ChartJson(Charts.ActivationsAndDerivatives([Activation.Logistic, Activation.Tanh]));
        Assert.Equal(["logistic h(a)", "logistic h'(a)", "tanh h(a)", "tanh h'(a)"], json.LegendNames);
        double[] y = ChartJson.Numbers(json.Trace("tanh h'(a)")["y"]);
        Assert.Equal(1.0, y.Max(), 1e-3);
        Assert.Throws<ArgumentException>(() => Charts.ActivationsAndDerivatives([]));
    }

    [Fact]
    public void DerivativeAgainstCentralDifference_points_lie_on_the_formula()
    {
        var json = new ChartJson(Charts.DerivativeAgainstCentralDifference(Activation.Logistic, -3, 3, epsilon: 1e-3, points: 7));

        Assert.Equal(["h'(a), the formula", "central difference, ε = 0.001"], json.LegendNames);
        Assert.Equal("activation a", json.AxisTitle("xaxis"));
        Assert.Equal("derivative h'(a)", json.AxisTitle("yaxis"));
        Assert.Contains("logistic", json.Title);
        JObject points = json.Trace("central difference, ε = 0.001");
        double[] a = ChartJson.Numbers(points["x"]);
        double[] d = ChartJson.Numbers(points["y"]);
        Assert.Equal(7, a.Length);
        for (int n = 0; n < a.Length; n++)
        {
            Assert.Equal(Activation.Logistic.Derivative(a[n]), d[n], 1e-7); // O(ε²) = 1e-6 × h'''/6 ≤ 2e-8
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_step_that_is_not_finite_and_positive_is_rejected(double epsilon)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Charts.DerivativeAgainstCentralDifference(Activation.Tanh, epsilon: epsilon));
        Assert.Equal("epsilon", e.ParamName);
        Assert.Contains("finite number > 0", e.Message);
        Assert.Equal("epsilons", Assert.ThrowsAny<ArgumentException>(() => Charts.CentralDifferenceResidual(Activation.Tanh, [1e-2, epsilon])).ParamName);
    }

    [Fact]
    public void CentralDifferenceResidual_has_one_positive_line_per_step_on_a_log_axis_and_shrinks_like_the_square_of_the_step()
    {
        var json = new ChartJson(Charts.CentralDifferenceResidual(Activation.Tanh, [1e-1, 1e-2], -2, 2, points: 21));

        Assert.Equal(["ε = 0.1", "ε = 0.01"], json.LegendNames);
        Assert.Equal("log", json.AxisType("yaxis"));
        Assert.Equal("activation a", json.AxisTitle("xaxis"));
        double[] coarse = ChartJson.Numbers(json.Trace("ε = 0.1")["y"]);
        double[] fine = ChartJson.Numbers(json.Trace("ε = 0.01")["y"]);
        Assert.All(coarse.Concat(fine), r => Assert.True(r > 0 && double.IsFinite(r), $"residual {r} cannot be drawn on a log axis"));
        // Truncation error ∝ ε²: ten times smaller step, about 100 times smaller peak residual.
        double ratio = coarse.Max() / fine.Max();
        Assert.InRange(ratio, 80, 120);
    }

    [Fact]
    public void CentralDifferenceResidual_leaves_out_exact_zeros()
    {
        // Identity: (a + ε − (a − ε)) / 2ε is exactly 1 for many a, so those residuals are 0 and must not be drawn.
        var json = new ChartJson(Charts.CentralDifferenceResidual(Activation.Identity, [0.5], -2, 2, points: 5));
        Assert.All(ChartJson.Numbers(json.Trace("ε = 0.5")["y"]), r => Assert.True(r > 0));
        Assert.True(ChartJson.Numbers(json.Trace("ε = 0.5")["x"]).Length < 5);
    }

    [Fact]
    public void FiniteDifferenceErrors_is_log_log_and_drops_zero_errors()
    {
        var json = new ChartJson(Charts.FiniteDifferenceErrors([1e-1, 1e-2, 1e-3], [1e-3, 0.0, 1e-7], [1e-2, 1e-3, 1e-4]));

        Assert.Equal(["central (L(w+ε) − L(w−ε)) / 2ε", "forward (L(w+ε) − L(w)) / ε"], json.LegendNames);
        Assert.Equal("log", json.AxisType("xaxis"));
        Assert.Equal("log", json.AxisType("yaxis"));
        Assert.Equal("step ε", json.AxisTitle("xaxis"));
        Assert.Equal("|numerical − backprop|", json.AxisTitle("yaxis"));
        Assert.Equal([1e-1, 1e-3], ChartJson.Numbers(json.Trace("central (L(w+ε) − L(w−ε)) / 2ε")["x"]));
        Assert.Equal([1e-3, 1e-7], ChartJson.Numbers(json.Trace("central (L(w+ε) − L(w−ε)) / 2ε")["y"]));
        Assert.Equal(3, ChartJson.Numbers(json.Trace("forward (L(w+ε) − L(w)) / ε")["y"]).Length);
    }

    [Fact]
    public void FiniteDifferenceErrors_rejects_lists_of_different_lengths()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Charts.FiniteDifferenceErrors([1e-1, 1e-2], [1e-3], [1e-2, 1e-3]));
        Assert.Contains("2 steps", e.Message);
        Assert.Contains("1 central", e.Message);
        Assert.ThrowsAny<ArgumentException>(() => Charts.FiniteDifferenceErrors([1e-1, 1e-2], [1e-3, 1e-4], [1e-2]));
    }

    [Fact]
    public void GradientCost_fits_the_exponents_into_the_legend_and_draws_slope_1_and_2_references()
    {
        GradientCostMeasurement[] measurements =
        [
            new(1, 10, 1e-6 * 10, 1e-8 * 100, 1, 1),
            new(10, 100, 1e-6 * 100, 1e-8 * 10_000, 1, 1),
            new(100, 1000, 1e-6 * 1000, 1e-8 * 1_000_000, 1, 1),
        ];

        var json = new ChartJson(Charts.GradientCost(measurements));

        Assert.Equal(
            ["backpropagation, measured (fitted slope 1.00)", "central differences, measured (fitted slope 2.00)", "reference slope 1: ∝ |W|", "reference slope 2: ∝ |W|²"],
            json.LegendNames);
        Assert.Equal("log", json.AxisType("xaxis"));
        Assert.Equal("log", json.AxisType("yaxis"));
        Assert.Equal("number of weights |W|", json.AxisTitle("xaxis"));
        double[] one = ChartJson.Numbers(json.Trace("reference slope 1: ∝ |W|")["y"]);
        double[] two = ChartJson.Numbers(json.Trace("reference slope 2: ∝ |W|²")["y"]);
        Assert.Equal(1e-3, one[2], 1e-15);        // through backprop's point at the largest |W|
        Assert.Equal(1e-5, one[0], 1e-15);        // slope 1: two decades of |W| give two decades of seconds
        Assert.Equal(1e-2, two[2], 1e-15);        // through the numerical point at the largest |W|
        Assert.Equal(1e-6, two[0], 1e-18);        // slope 2: four decades
    }

    [Fact]
    public void GradientCost_needs_two_measurements_with_positive_times()
    {
        var one = Assert.ThrowsAny<ArgumentException>(() => Charts.GradientCost([new GradientCostMeasurement(1, 10, 1e-6, 1e-5, 1, 1)]));
        Assert.Equal("measurements", one.ParamName);
        Assert.Contains("got 1", one.Message);
        Assert.ThrowsAny<ArgumentException>(() => Charts.GradientCost([new(1, 10, 1e-6, 1e-5, 1, 1), new(2, 20, 0.0, 1e-5, 1, 1)]));
    }

    [Fact]
    public void GradientCheckErrors_draws_one_bar_per_block_and_the_two_verdict_thresholds()
    {
        var net = new Mlp([2, 3, 1], Activation.Tanh, Activation.Identity, seed: 3);
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(4, 2, (i, j) => (0.3 * i) - (0.2 * j));
        var t = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(4, 1, (i, _) => 0.1 * i);
        GradientCheckReport central = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares);
        GradientCheckReport forward = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares, new GradientCheckOptions { Method = FiniteDifference.Forward });

        var json = new ChartJson(Charts.GradientCheckErrors([("central", central), ("forward", forward)]));

        Assert.Equal(["central", "forward", "1e-7: good below", "1e-4: acceptable below"], json.LegendNames);
        string[] blocks = [.. central.Blocks.Select(b => b.Name)];
        Assert.Equal(2, blocks.Length);
        Assert.Equal(blocks, ChartJson.Strings(json.Trace("central")["x"]));
        Assert.Equal(central.Blocks.Select(b => Math.Max(b.RelativeError, 1e-17)), ChartJson.Numbers(json.Trace("central")["y"]));
        Assert.All(ChartJson.Numbers(json.Trace("1e-7: good below")["y"]), v => Assert.Equal(1e-7, v));
        Assert.Equal("log", json.AxisType("yaxis"));
        Assert.Equal("weight block w<sup>(l)</sup>", json.AxisTitle("xaxis"));
    }

    [Fact]
    public void GradientCheckErrors_needs_a_report()
    {
        Assert.Equal("reports", Assert.ThrowsAny<ArgumentException>(() => Charts.GradientCheckErrors([])).ParamName);
    }
}
