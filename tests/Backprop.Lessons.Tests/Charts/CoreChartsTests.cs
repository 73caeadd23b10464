using Newtonsoft.Json.Linq;
using Plotly.NET;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Charts.Tests;

/// <summary>Charts.cs: functions, series, training curves, per-layer bars and the network-output chart.</summary>
public sealed class CoreChartsTests
{
    [Fact]
    public void FunctionAndDerivative_has_both_lines_axis_titles_and_the_activation_values()
    {
        var json = new ChartJson(Charts.FunctionAndDerivative(Activation.Tanh, -2, 2, points: 5));

        Assert.Equal(["h(a) = tanh(a)", "h'(a)"], json.LegendNames);
        Assert.Equal("activation a", json.AxisTitle("xaxis"));
        Assert.Equal("value", json.AxisTitle("yaxis"));
        Assert.Contains("tanh", json.Title);
        Assert.Null(json.AxisType("yaxis"));
        double[] a = ChartJson.Numbers(json.Trace("h'(a)")["x"]);
        Assert.Equal([-2.0, -1.0, 0.0, 1.0, 2.0], a);
        Assert.Equal(a.Select(Math.Tanh), ChartJson.Numbers(json.Trace("h(a) = tanh(a)")["y"]));
        Assert.Equal(a.Select(v => 1 - (Math.Tanh(v) * Math.Tanh(v))), ChartJson.Numbers(json.Trace("h'(a)")["y"]));
    }

    [Fact]
    public void FunctionAndDerivative_can_add_the_slope_on_a_log_scale_and_refuses_a_slope_that_reaches_zero()
    {
        var json = new ChartJson(Charts.FunctionAndDerivative(Activation.Logistic, -10, 10, points: 5, logSlope: true));

        Assert.Equal(["h(a) = logistic(a)", "h'(a)"], json.LegendNames);
        Assert.Equal("log", json.AxisType("yaxis2"));
        Assert.Null(json.AxisType("yaxis"));
        double[] slope = ChartJson.Numbers(json.Trace("h'(a), log scale")["y"]);
        Assert.Equal(Activation.Logistic.Derivative(10), slope[^1], 15);
        double[] range = ChartJson.Numbers(json.Axis("yaxis2")["range"]);
        Assert.True(range[0] < Math.Log10(Activation.Logistic.Derivative(10)), "σ'(10) must lie inside the log panel");

        var e = Assert.ThrowsAny<ArgumentException>(() => Charts.FunctionAndDerivative(Activation.ReLU, -1, 1, logSlope: true));
        Assert.Equal("logSlope", e.ParamName);
    }

    [Theory]
    [InlineData(1.0, 1.0, 11)]
    [InlineData(2.0, 1.0, 11)]
    [InlineData(-1.0, 1.0, 1)]
    [InlineData(double.NaN, 1.0, 11)]
    public void An_empty_range_or_fewer_than_two_points_is_rejected(double from, double to, int points)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Charts.FunctionAndDerivative(Activation.Logistic, from, to, points));
        Assert.Contains("from < to", e.Message);
        Assert.Contains("points", e.Message);
    }

    [Fact]
    public void Functions_draws_one_named_line_per_function_on_an_even_grid()
    {
        var json = new ChartJson(Charts.Functions(0, 1, "x", "y", 3, ("square", x => x * x), ("cube", x => x * x * x)));

        Assert.Equal(["square", "cube"], json.LegendNames);
        Assert.Equal([0.0, 0.5, 1.0], ChartJson.Numbers(json.Trace("cube")["x"]));
        Assert.Equal([0.0, 0.125, 1.0], ChartJson.Numbers(json.Trace("cube")["y"]));
        Assert.Equal("x", json.AxisTitle("xaxis"));
        Assert.Equal("y", json.AxisTitle("yaxis"));
    }

    [Fact]
    public void Series_rejects_a_series_whose_length_differs_from_x()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            Charts.Series("x", "y", [1.0, 2.0, 3.0], ("fine", ChartTestData.List(1, 2, 3)), ("short", ChartTestData.List(1, 2))));
        Assert.Equal("series", e.ParamName);
        Assert.Contains("'short'", e.Message);
        Assert.Contains("2 values", e.Message);
        Assert.Contains("3 x values", e.Message);
    }

    [Fact]
    public void NetworkOutput_contributions_and_bias_add_up_to_the_output()
    {
        var net = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 7);
        var json = new ChartJson(Charts.NetworkOutput(net, -1, 1, points: 9));

        Assert.Equal(["y(x)", "w<sup>(2)</sup><sub>11</sub> z<sub>1</sub>(x)", "w<sup>(2)</sup><sub>12</sub> z<sub>2</sub>(x)",
            "w<sup>(2)</sup><sub>13</sub> z<sub>3</sub>(x)", "bias w<sup>(2)</sup><sub>10</sub>"], json.LegendNames);
        Assert.Equal("input x", json.AxisTitle("xaxis"));
        double[] x = ChartJson.Numbers(json.Trace("y(x)")["x"]);
        double[] y = ChartJson.Numbers(json.Trace("y(x)")["y"]);
        double[][] parts = [.. json.TraceNames.Skip(1).Select(name => ChartJson.Numbers(json.Trace(name)["y"]))];
        Assert.Equal(9, x.Length);
        for (int n = 0; n < x.Length; n++)
        {
            Assert.Equal(net.Forward(Vector<double>.Build.Dense([x[n]])).Output[0], y[n], 1e-12);
            Assert.Equal(y[n], parts.Sum(p => p[n]), 1e-12);
        }

        Assert.All(ChartJson.Numbers(json.Trace("bias w<sup>(2)</sup><sub>10</sub>")["y"]), b => Assert.Equal(net.Layers[1].Weights[0, 0], b));
    }

    [Fact]
    public void NetworkOutput_draws_a_group_of_units_added_up_such_as_a_bump()
    {
        var net = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 7);
        var json = new ChartJson(Charts.NetworkOutput(net, -1, 1, 9, 1, 3));

        Assert.Contains("units 1 + 3", json.LegendNames);
        double[] x = ChartJson.Numbers(json.Trace("units 1 + 3")["x"]);
        double[] sum = ChartJson.Numbers(json.Trace("units 1 + 3")["y"]);
        double[] one = ChartJson.Numbers(json.Trace("w<sup>(2)</sup><sub>11</sub> z<sub>1</sub>(x)")["y"]);
        double[] three = ChartJson.Numbers(json.Trace("w<sup>(2)</sup><sub>13</sub> z<sub>3</sub>(x)")["y"]);
        Assert.Equal(9, x.Length);
        for (int n = 0; n < x.Length; n++)
        {
            Assert.Equal(one[n] + three[n], sum[n], 1e-12);
        }

        Assert.Equal("group", Assert.Throws<ArgumentException>(() => Charts.NetworkOutput(net, -1, 1, 9, 4)).ParamName);
        Assert.Equal("group", Assert.Throws<ArgumentException>(() => Charts.NetworkOutput(net, -1, 1, 9, 2, 2)).ParamName);
    }

    [Fact]
    public void NetworkOutput_rejects_networks_it_cannot_draw()
    {
        Assert.Equal("network", Assert.ThrowsAny<ArgumentException>(() => Charts.NetworkOutput(new Mlp([2, 3, 1], Activation.Tanh, Activation.Identity, 1))).ParamName);
        Assert.Equal("network", Assert.ThrowsAny<ArgumentException>(() => Charts.NetworkOutput(new Mlp([1, 3, 1], Activation.Tanh, Activation.Logistic, 1))).ParamName);
        Assert.Equal("network", Assert.ThrowsAny<ArgumentException>(() => Charts.NetworkOutput(new Mlp([1, 3, 3, 1], Activation.Tanh, Activation.Identity, 1))).ParamName);
        Assert.Equal("network", Assert.ThrowsAny<ArgumentException>(() => Charts.NetworkOutput(new Mlp([1, 3, 2], Activation.Tanh, Activation.Identity, 1))).ParamName);
    }

    [Fact]
    public void The_whole_figure_serialises_as_the_notebook_sends_it_and_matches_the_quick_reading()
    {
        var chart = Charts.PerLayerBarsByActivation("mean |∂L/∂w|", [("run A", Activation.Logistic, ChartTestData.List(4, 2, 1))], logScale: true);
        var quick = new ChartJson(chart);
        var full = ChartJson.Full(chart);

        Assert.True(JToken.DeepEquals(quick.Root["data"], full["data"]));
        Assert.Equal("log", (string?)full["layout"]!["yaxis"]!["type"]);
        Assert.Equal("layer l (1 = nearest the input)", (string?)full["layout"]!["xaxis"]!["title"]!["text"]);
        Assert.NotNull(full["layout"]!["template"]);
        Assert.Contains("run A", GenericChart.toChartHTML(chart));
    }
}
