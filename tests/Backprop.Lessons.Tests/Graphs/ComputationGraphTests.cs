using Backprop.Lessons.Graphs;

namespace Backprop.Lessons.Tests.Graphs;

/// <summary>ComputationGraph.cs and Node.cs: local gradients, the backward pass in reverse order, gradients added at a fork.</summary>
public sealed class ComputationGraphTests
{
    [Fact]
    public void The_neuron_s_gradients_are_upstream_times_local_along_the_chain()
    {
        var g = new ComputationGraph();
        var (x, w, b) = (g.Input("x", 1.5), g.Input("w", 0.8), g.Input("b", -0.5));
        var z = g.Tanh("z", g.Add("a", g.Multiply("u", w, x), b));
        var L = g.HalfSumOfSquares("L", g.Minus("e", z, 0.25));
        g.Backward(L);

        double zv = Math.Tanh((0.8 * 1.5) - 0.5);
        double delta = (zv - 0.25) * (1 - (zv * zv));   // ∂L/∂a
        Assert.Equal(0.5 * (zv - 0.25) * (zv - 0.25), L.Value, 15);
        Assert.Equal(delta * 1.5, w.Gradient, 14);
        Assert.Equal(delta * 0.8, x.Gradient, 14);
        Assert.Equal(delta, b.Gradient, 14);
        Assert.Equal(1.0, L.Gradient);
    }

    [Fact]
    public void A_value_used_twice_receives_the_sum_of_both_uses()
    {
        var g = new ComputationGraph();
        var u = g.Input("u", 3.0);
        var square = g.Multiply("u·u", u, u);
        Assert.Equal(2, square.Inputs.Count);
        g.Backward(square);
        Assert.Equal(6.0, u.Gradient);   // 3 + 3, not 3

        // Weight sharing: L = tanh(w · tanh(w · x)); both uses of w add up (checked by central differences).
        static double F(double w, double x) => Math.Tanh(w * Math.Tanh(w * x));
        var h = new ComputationGraph();
        var (wn, xn) = (h.Input("w", 0.7), h.Input("x", -1.3));
        var top = h.Tanh("z₂", h.Multiply("a₂", wn, h.Tanh("z₁", h.Multiply("a₁", wn, xn))));
        h.Backward(top);
        double eps = 1e-6;
        Assert.Equal((F(0.7 + eps, -1.3) - F(0.7 - eps, -1.3)) / (2 * eps), wn.Gradient, 9);
    }

    [Fact]
    public void Backward_again_starts_from_zero_and_nodes_after_the_output_get_zero()
    {
        var g = new ComputationGraph();
        var u = g.Input("u", 2.0);
        var v = g.Scale("v", 3.0, u);
        var later = g.Multiply("later", v, v);
        g.Backward(v);
        g.Backward(v);
        Assert.Equal(3.0, u.Gradient);
        Assert.Equal(0.0, later.Gradient);
        Assert.True(double.IsNaN(new ComputationGraph().Input("fresh", 1).Gradient));
    }

    [Fact]
    public void Bad_input_is_refused_with_a_message_naming_the_problem()
    {
        var g = new ComputationGraph();
        var other = new ComputationGraph().Input("q", 1);
        Assert.Contains("another graph", Assert.Throws<ArgumentException>(() => g.Add("s", g.Input("p", 1), other)).Message, StringComparison.Ordinal);
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => g.Input("n", double.NaN)).Message, StringComparison.Ordinal);
        Assert.Contains("one weight per input", Assert.Throws<ArgumentException>(() => g.WeightedSum("a", [g.Input("w", 1)], [])).Message, StringComparison.Ordinal);
        Assert.Contains("no node named", Assert.Throws<ArgumentException>(() => g["missing"]).Message, StringComparison.Ordinal);
    }
}
