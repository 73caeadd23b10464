using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Newtonsoft.Json.Linq;

namespace Backprop.Lessons.Charts.Tests;

/// <summary>BackwardPassCharts.cs: the backward-pass picture and the fit-during-training grid (lesson 02).</summary>
public sealed class BackwardPassChartsTests
{
    private const string PositiveEdges = "∂L/∂w > 0 (width ∝ |∂L/∂w|)";
    private const string NegativeEdges = "∂L/∂w < 0 (width ∝ |∂L/∂w|)";

    private static (Mlp Net, ForwardPass Pass, Gradients Gradients) Sample(int[] sizes, int seed = 2)
    {
        var net = new Mlp(sizes, Activation.Tanh, Activation.Identity, seed);
        var rng = new Random(seed);
        ForwardPass pass = net.Forward(Vector<double>.Build.Dense(sizes[0], _ => (2 * rng.NextDouble()) - 1));
        Gradients g = net.Backward(pass, Vector<double>.Build.Dense(sizes[^1], _ => (2 * rng.NextDouble()) - 1), Loss.HalfSumOfSquares);
        return (net, pass, g);
    }

    private static IEnumerable<JObject> Edges(ChartJson json) =>
        json.Traces.Where(t => t["name"]?.Value<string>() is PositiveEdges or NegativeEdges);

    [Fact]
    public void Every_weight_is_one_edge_labelled_with_its_gradient_and_coloured_by_its_sign()
    {
        var (net, pass, g) = Sample([2, 3, 2]);
        var json = new ChartJson(Charts.BackwardPass(net, pass, g));

        var edges = Edges(json).ToList();
        Assert.Equal(net.ParameterCount, edges.Count);
        double largest = Enumerable.Range(1, g.LayerCount).Max(l => g.WeightGradient(l).Enumerate().Max(Math.Abs));
        for (int l = 0; l < g.LayerCount; l++)
        {
            for (int j = 1; j <= g.WeightGradient(l + 1).RowCount; j++)
            {
                for (int i = 0; i < g.WeightGradient(l + 1).ColumnCount; i++)
                {
                    double value = g.WeightGradient(l + 1)[j - 1, i];
                    string label = string.Create(CultureInfo.InvariantCulture, $"∂L/∂w<sup>({l + 1})</sup><sub>{j}{i}</sub> = {value:G4}");
                    JObject edge = Assert.Single(edges, e => ChartJson.Strings(e["text"]).Contains(label));
                    Assert.Equal(value >= 0 ? PositiveEdges : NegativeEdges, edge["name"]!.Value<string>());
                    Assert.Equal([(double)l, l + 1], ChartJson.Numbers(edge["x"]));
                    Assert.Equal(0.5 + (11.5 * Math.Abs(value) / largest), edge["line"]!["width"]!.Value<double>(), 1e-12);
                }
            }
        }

        // Each sign appears in the legend at most once.
        Assert.True(json.LegendNames.Count(n => n == PositiveEdges) <= 1);
        Assert.True(json.LegendNames.Count(n => n == NegativeEdges) <= 1);
    }

    [Fact]
    public void Every_unit_with_an_error_is_a_node_showing_its_delta_and_the_inputs_and_biases_are_grey()
    {
        var (net, pass, g) = Sample([2, 3, 2]);
        var json = new ChartJson(Charts.BackwardPass(net, pass, g));

        JObject plain = json.Trace("inputs and biases (no δ)");
        Assert.Equal(2 + 2, ChartJson.Numbers(plain["x"]).Length); // x₀, z₀ of the hidden layer, x₁, x₂
        string[] texts = ChartJson.Strings(plain["text"]);
        Assert.Contains("x₀ = 1", texts);
        Assert.Contains("z₀ = 1", texts);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"x₁ = {pass.Input[0]:G4}"), texts);

        var deltaTexts = new List<string>();
        foreach (var (name, positive) in new[] { ("δ > 0 (size ∝ |δ|)", true), ("δ < 0 (size ∝ |δ|)", false) })
        {
            JObject? nodes = json.Traces.FirstOrDefault(t => t["name"]?.Value<string>() == name);
            if (nodes is null)
            {
                continue;
            }

            foreach (string text in ChartJson.Strings(nodes["text"]))
            {
                double delta = double.Parse(text[(text.IndexOf('=') + 1)..], CultureInfo.InvariantCulture);
                Assert.Equal(positive, delta >= 0);
                deltaTexts.Add(text);
            }
        }

        Assert.Equal(3 + 2, deltaTexts.Count);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"z₁: δ = {g.Delta(1)[0]:G4}"), deltaTexts);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"y₂: δ = {g.Delta(2)[1]:G4}"), deltaTexts);
    }

    [Fact]
    public void The_x_axis_names_the_columns_from_inputs_to_outputs()
    {
        var (net, pass, g) = Sample([2, 3, 3, 1]);
        var json = new ChartJson(Charts.BackwardPass(net, pass, g));

        Assert.Equal(["inputs x_i", "hidden layer 1: z_j", "hidden layer 2: z_j", "outputs y_k"], ChartJson.Strings(json.Axis("xaxis")["ticktext"]));
        Assert.Contains("δ runs right to left", json.AxisTitle("xaxis"));
        Assert.StartsWith("Backward pass of one sample", json.Title);
    }

    [Fact]
    public void A_layer_wider_than_16_units_is_rejected()
    {
        var (net, pass, g) = Sample([2, 17, 1]);
        var e = Assert.ThrowsAny<ArgumentException>(() => Charts.BackwardPass(net, pass, g));
        Assert.Equal("network", e.ParamName);
        Assert.Contains("17 units", e.Message);
        Assert.Contains("at most 16", e.Message);
        Charts.BackwardPass(Sample([2, 16, 1]).Net, Sample([2, 16, 1]).Pass, Sample([2, 16, 1]).Gradients); // 16 is still drawn
    }

    [Fact]
    public void A_pass_or_gradients_of_another_network_shape_are_rejected()
    {
        var (net, pass, g) = Sample([2, 3, 2]);
        var (_, otherPass, otherGradients) = Sample([2, 4, 2]);
        var (_, widerInputPass, _) = Sample([3, 3, 2]);

        var e = Assert.ThrowsAny<ArgumentException>(() => Charts.BackwardPass(net, otherPass, g));
        Assert.Equal("pass", e.ParamName);
        Assert.Contains("2-3-2", e.Message);
        Assert.Equal("gradients", Assert.ThrowsAny<ArgumentException>(() => Charts.BackwardPass(net, pass, otherGradients)).ParamName);
        Assert.Equal("pass", Assert.ThrowsAny<ArgumentException>(() => Charts.BackwardPass(net, widerInputPass, g)).ParamName);
        Assert.Equal("pass", Assert.ThrowsAny<ArgumentException>(() => Charts.BackwardPass(new Mlp([3, 3, 2], Activation.Tanh, Activation.Identity, 2), pass, Sample([3, 3, 2]).Gradients)).ParamName);
    }

    [Fact]
    public void FitDuringTraining_shows_the_data_each_snapshot_and_the_loss_on_a_log_axis()
    {
        Dataset data = ChartTestData.Curve(8);
        var start = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 1);
        var later = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 2);
        double[] loss = [4.0, 2.0, 1.0, 0.5];

        var json = new ChartJson(Charts.FitDuringTraining(data, [(0, start), (3, later)], loss));

        Assert.Equal(["training data (x_n, t_n)", "y(x) after τ = 0 steps", "y(x) after τ = 3 steps", "loss L(τ)"], json.LegendNames);
        Assert.Equal(data.Inputs.Column(0).ToArray(), ChartJson.Numbers(json.Trace("training data (x_n, t_n)")["x"]));
        Assert.Equal(loss, ChartJson.Numbers(json.Trace("loss L(τ)")["y"]));
        // The marked moments sit on the loss curve.
        var marks = json.Traces.Where(t => t["name"]?.Value<string>() == "y(x) after τ = 3 steps").ToList();
        Assert.Equal(2, marks.Count);
        Assert.Contains(marks, m => ChartJson.Numbers(m["y"]).SequenceEqual([0.5]) && ChartJson.Numbers(m["x"]).SequenceEqual([3.0]));

        Assert.Equal("input x", json.AxisTitle("xaxis"));
        Assert.Equal("t and y(x)", json.AxisTitle("yaxis"));
        Assert.Equal("gradient-descent step τ", json.AxisTitle("xaxis2"));
        Assert.Equal("training loss L", json.AxisTitle("yaxis2"));
        Assert.Equal("log", json.AxisType("yaxis2"));
        // Labelled ticks from ChartFit.LogTicks (1-2-5 steps or powers of ten), never Plotly's minor digits.
        var ticks = ChartJson.Numbers(json.Axis("yaxis2")["tickvals"]);
        Assert.NotEmpty(ticks);
        Assert.All(ticks, v => Assert.Contains(Math.Round(v / Math.Pow(10, Math.Floor(Math.Log10(v) + 1e-9)), 6), new[] { 1.0, 2.0, 5.0 }));
        Assert.Equal(ticks.Count(), json.Axis("yaxis2")["ticktext"]!.Count());
        Assert.NotEqual("log", json.AxisType("yaxis"));
    }

    [Fact]
    public void The_pictures_fit_a_notebook_output_with_the_legend_below()
    {
        var (net, pass, g) = Sample([2, 3, 2]);
        var picture = ChartJson.Full(Charts.BackwardPass(net, pass, g));
        var fit = ChartJson.Full(Charts.FitDuringTraining(ChartTestData.Curve(8),
            [(0, new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 1))], [1.0, 0.5]));
        foreach (var layout in new[] { picture["layout"]!, fit["layout"]! })
        {
            Assert.InRange(layout["width"]!.Value<int>(), 400, 900);
            Assert.InRange(layout["height"]!.Value<int>(), 300, 550);
            Assert.Equal("h", layout["legend"]!["orientation"]!.Value<string>());
        }
    }

    [Fact]
    public void FitDuringTraining_rejects_bad_input()
    {
        Dataset data = ChartTestData.Curve(8);
        var net = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed: 1);
        double[] loss = [4.0, 2.0, 1.0];

        var step = Assert.ThrowsAny<ArgumentException>(() => Charts.FitDuringTraining(data, [(3, net)], loss));
        Assert.Equal("snapshots", step.ParamName);
        Assert.Contains("0 … 2", step.Message);
        Assert.Equal("snapshots", Assert.ThrowsAny<ArgumentException>(() => Charts.FitDuringTraining(data, [], loss)).ParamName);
        Assert.Equal("snapshots", Assert.ThrowsAny<ArgumentException>(() => Charts.FitDuringTraining(data, [.. Enumerable.Range(0, 9).Select(_ => (0, net))], loss)).ParamName);
        Assert.Equal("snapshots", Assert.ThrowsAny<ArgumentException>(() =>
            Charts.FitDuringTraining(data, [(0, new Mlp([1, 3, 2], Activation.Tanh, Activation.Identity, 1))], loss)).ParamName);
        Assert.Equal("data", Assert.ThrowsAny<ArgumentException>(() =>
            Charts.FitDuringTraining(ChartTestData.Classes(), [(0, net)], loss)).ParamName);

        foreach (double bad in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
        {
            var e = Assert.ThrowsAny<ArgumentException>(() => Charts.FitDuringTraining(data, [(0, net)], [4.0, bad, 1.0]));
            Assert.Equal("loss", e.ParamName);
            Assert.Contains("loss[1]", e.Message);
        }

        Assert.Contains("loss[0]", Assert.ThrowsAny<ArgumentException>(() => Charts.FitDuringTraining(data, [(0, net)], [0.0, 1.0])).Message);
    }
}
