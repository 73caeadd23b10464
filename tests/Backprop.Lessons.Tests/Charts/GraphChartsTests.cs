using Backprop.Lessons.Graphs;
using Newtonsoft.Json.Linq;

namespace Backprop.Lessons.Charts.Tests;

/// <summary>GraphCharts.cs: the picture of a small computation graph after its backward pass (lesson 03).</summary>
public sealed class GraphChartsTests
{
    private static (ComputationGraph Graph, Node Loss) Neuron()
    {
        var g = new ComputationGraph();
        var (x, w, b) = (g.Input("x", 1.5), g.Input("w", 0.8), g.Input("b", -0.5));
        var z = g.Tanh("z", g.Add("a", g.Multiply("u", w, x), b));
        return (g, g.HalfSumOfSquares("L", g.Minus("e", z, 0.25)));
    }

    [Fact]
    public void Every_node_shows_its_value_and_gradient_and_every_edge_its_local_gradient()
    {
        var (g, L) = Neuron();
        g.Backward(L);
        var json = new ChartJson(Charts.ComputationGraph(g, "a neuron"));
        var nodeText = json.Traces.Where(t => t["name"]?.Value<string>()?.StartsWith("∂L/∂node", StringComparison.Ordinal) == true)
            .SelectMany(t => ChartJson.Strings(t["text"])).ToList();
        Assert.Equal(g.Nodes.Count, nodeText.Count);
        Assert.Contains("w = 0.8<br>∂L/∂w = " + g["w"].Gradient.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), nodeText);
        var edgeLabels = json.Traces.Where(t => t["mode"]?.Value<string>() == "markers+text" && t["name"] is null).SelectMany(t => ChartJson.Strings(t["text"])).ToList();
        Assert.Equal(g.EdgeCount, edgeLabels.Count);
        Assert.Contains("×0.8", edgeLabels);   // ∂u/∂x = w
    }

    [Fact]
    public void A_graph_without_gradients_or_too_wide_to_read_is_refused()
    {
        var (g, _) = Neuron();
        Assert.Contains("Backward", Assert.Throws<ArgumentException>(() => Charts.ComputationGraph(g, "t")).Message, StringComparison.Ordinal);
        var wide = new ComputationGraph();
        var leaves = Enumerable.Range(1, 3).Select(i => wide.Input($"e{i}", i)).ToArray();
        wide.Backward(wide.HalfSumOfSquares("L", leaves));
        Assert.Contains("at most 2", Assert.Throws<ArgumentException>(() => Charts.ComputationGraph(wide, "t")).Message, StringComparison.Ordinal);
    }
}
