using Backprop.Lessons.Graphs;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Tests.Graphs;

/// <summary>NetworkGraph.cs: the lecture's network as a graph; its backward pass is Mlp.Backward.</summary>
public sealed class NetworkGraphTests
{
    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_graph_s_gradients_are_Mlp_Backward_s_for_random_small_networks(int seed)
    {
        var rng = new Random(seed);
        int depth = 1 + rng.Next(3);
        int[] sizes = [.. Enumerable.Range(0, depth + 1).Select(_ => 1 + rng.Next(4))];
        Activation[] hidden = [Activation.Tanh, Activation.Logistic, Activation.Elu()];
        var activations = Enumerable.Range(0, depth).Select(l => l == depth - 1 ? Activation.Identity : hidden[rng.Next(hidden.Length)]).ToArray();
        var net = new Mlp(sizes, activations, seed);
        var w = net.GetParameters();
        net.SetParameters(w.Map(v => v + (0.3 * ((2 * rng.NextDouble()) - 1))));   // non-zero biases too
        var x = Vector<double>.Build.Dense(sizes[0], _ => (4 * rng.NextDouble()) - 2);
        var t = Vector<double>.Build.Dense(sizes[^1], _ => (2 * rng.NextDouble()) - 1);

        var expected = net.Backward(net.Forward(x), t, Loss.HalfSumOfSquares);
        var graph = NetworkGraph.Of(net, x, t);
        graph.Graph.Backward(graph.Loss);

        Assert.Equal(expected.Loss, graph.Loss.Value, 12);
        for (int l = 1; l <= depth; l++)
        {
            Assert.True((expected.WeightGradient(l) - graph.WeightGradient(l)).Enumerate().All(d => Math.Abs(d) < 1e-12), $"∂L/∂W⁽{l}⁾ of {net}");
            Assert.True((expected.Delta(l) - graph.Delta(l)).Enumerate().All(d => Math.Abs(d) < 1e-12), $"δ⁽{l}⁾ = ∂L/∂a⁽{l}⁾ of {net}");
        }
    }

    [Fact]
    public void Nodes_are_named_and_found_as_the_lecture_numbers_them()
    {
        var net = new Mlp([2, 3, 2], Activation.Tanh, Activation.Identity, seed: 1);
        var graph = NetworkGraph.Of(net, Vector<double>.Build.Dense([0.5, -1.5]), Vector<double>.Build.Dense([1.0, 0.5]));
        Assert.Equal("w⁽¹⁾₂₁", graph.Weight(1, 2, 1).Name);
        Assert.Equal(net.Layers[0].Weights[1, 1], graph.Weight(1, 2, 1).Value);
        Assert.Equal("a⁽¹⁾₃", graph.A(1, 3).Name);
        Assert.Equal("z⁽¹⁾₀", graph.Z(1, 0).Name);
        Assert.Same(graph.A(2, 1), graph.Z(2, 1));   // linear outputs: y_k = a_k, no node of its own
        Assert.Equal("x₂", graph.Z(0, 2).Name);
        Assert.Same(graph.Loss, graph.Graph.Nodes[^1]);
        // 3 + 9 + 1 + 8 = 21 leaves, 3 + 2 activations, 3 tanh, 2 errors, the loss.
        Assert.Equal(32, graph.Graph.Nodes.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.A(3, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => graph.Weight(1, 4, 0));
        Assert.Throws<ArgumentException>(() => graph.WeightGradient(1, [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => NetworkGraph.Of(net, Vector<double>.Build.Dense([0.5]), Vector<double>.Build.Dense([1.0, 0.5])));
    }
}
