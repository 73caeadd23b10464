namespace Backprop.Lessons.Charts.Tests;

/// <summary>DistributionCharts.cs (lesson 10): the per-layer histograms of z and of log₁₀ |δ|.</summary>
public sealed class DistributionChartsTests
{
    private static readonly Dataset s_digits = Datasets.Digits().Take(100);

    private static LayerDistributions Measured(double scale) => LayerDistributions.Measure(
        new Mlp([64, 20, 20, 10], Activation.Tanh, Activation.Identity, 0, Initialisation.Normal(scale)), s_digits.Inputs, s_digits.Targets, Loss.SoftmaxCrossEntropy);

    [Fact]
    public void OutputDistributions_draws_one_line_per_hidden_layer_per_panel_in_percent_on_one_x_range()
    {
        var small = Measured(0.1);
        var json = new ChartJson(Charts.OutputDistributions(("σ_w = 0.1", small), ("σ_w = 3", Measured(3))));

        Assert.Equal(4, json.Traces.Count);
        Assert.Equal(["layer 1", "layer 2"], json.LegendNames);
        foreach (var trace in json.Traces)
        {
            Assert.Equal(100, ChartJson.Numbers(trace["y"]).Sum(), 9);
        }

        double[] x = ChartJson.Numbers(json.Traces[0]["x"]);
        Assert.Equal(40, x.Length);
        Assert.Equal(ChartJson.Numbers(json.Axis("xaxis")["range"]), ChartJson.Numbers(json.Axis("xaxis2")["range"]));
        Assert.True(ChartJson.Numbers(json.Axis("xaxis")["range"])[1] > 0.99, "the x range reaches the saturated outputs of σ_w = 3");
        Assert.Equal("runs", Assert.ThrowsAny<ArgumentException>(() => Charts.OutputDistributions()).ParamName);
    }

    [Fact]
    public void DeltaDistributions_bins_the_log_of_every_delta_per_layer_output_layer_included()
    {
        var d = Measured(0.3);
        var json = new ChartJson(Charts.DeltaDistributions(("σ_w = 0.3", d)));

        Assert.Equal(["layer 1", "layer 2", "layer 3"], json.LegendNames);
        double[] range = ChartJson.Numbers(json.Axis("xaxis")["range"]);
        double lowest = d.DeltaMagnitudes.SelectMany(v => v).Where(v => v > 0).Min();
        Assert.True(range[0] < Math.Log10(lowest), $"range starts at {range[0]}, the smallest log |δ| is {Math.Log10(lowest)}");
        Assert.Equal(100, ChartJson.Numbers(json.Trace("layer 3")["y"]).Sum(), 9);

        // Each panel on its own errors' range: forty decades in one panel do not squeeze a few decades in the other.
        var two = new ChartJson(Charts.DeltaDistributions(("σ_w = 0.3", d), ("σ_w = 3", Measured(3))));
        double[] first = ChartJson.Numbers(two.Axis("xaxis")["range"]), second = ChartJson.Numbers(two.Axis("xaxis2")["range"]);
        Assert.Equal(range, first);
        Assert.True(second[1] - second[0] > 2 * (first[1] - first[0]), $"[{first[0]}, {first[1]}] against [{second[0]}, {second[1]}]");
    }
}
