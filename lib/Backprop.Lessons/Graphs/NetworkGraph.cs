using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Graphs;

/// <summary>
/// The lecture's network for one sample written as a <see cref="ComputationGraph"/>: a leaf per input x_i (and x_0 = 1)
/// and per weight w⁽ˡ⁾ⱼᵢ, a node a⁽ˡ⁾ⱼ = Σ_i w⁽ˡ⁾ⱼᵢ z⁽ˡ⁻¹⁾ᵢ per unit, a node z⁽ˡ⁾ⱼ = h(a⁽ˡ⁾ⱼ) per hidden unit (with a leaf
/// z⁽ˡ⁾₀ = 1), an error e_k = y_k − t_k per output and the loss L = ½ Σ_k e_k² (lesson 03). Linear outputs get no node of
/// their own: y_k = a_k. After a backward pass the gradient at a⁽ˡ⁾ⱼ is the lecture's δ_j and the gradient at a weight leaf
/// is ∂L/∂w, the numbers <see cref="Mlp.Backward(ForwardPass, Vector{double}, Loss)"/> returns.
/// </summary>
public sealed class NetworkGraph
{
    private readonly Node[][][] _weights;   // [l − 1][j − 1][i]
    private readonly Node[][] _a;           // [l − 1][j − 1]
    private readonly Node[][] _z;           // [l][i], i = 0 the bias leaf (none for the output layer)

    private NetworkGraph(ComputationGraph graph, Node[][][] weights, Node[][] a, Node[][] z, Node loss)
    {
        Graph = graph;
        _weights = weights;
        _a = a;
        _z = z;
        Loss = loss;
    }

    /// <summary>The graph itself: its last node is <see cref="Loss"/>.</summary>
    public ComputationGraph Graph { get; }

    /// <summary>The loss node L = ½ Σ_k (y_k − t_k)².</summary>
    public Node Loss { get; }

    /// <summary>The number of weight layers L.</summary>
    public int LayerCount => _a.Length;

    /// <summary>
    /// Builds the graph of <paramref name="network"/> (any depth, any activations) for one sample with the half sum-of-squares
    /// loss, at the network's current weights.
    /// </summary>
    /// <param name="network">The network; its weights are copied into leaves.</param>
    /// <param name="x">The input vector (D entries).</param>
    /// <param name="t">The target vector (K entries).</param>
    /// <exception cref="ArgumentException">x or t has the wrong length or a NaN or infinite entry.</exception>
    public static NetworkGraph Of(Mlp network, Vector<double> x, Vector<double> t)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(t);
        Require(x, network.InputCount, "x", "inputs");
        Require(t, network.OutputCount, "t", "outputs");
        var graph = new ComputationGraph();
        int layers = network.Layers.Count;
        var weights = new Node[layers][][];
        var a = new Node[layers][];
        var z = new Node[layers + 1][];
        z[0] = [graph.Input("x₀", 1.0), .. x.Select((v, i) => graph.Input("x" + Notation.Subscripts(i + 1), v))];
        for (int l = 1; l <= layers; l++)
        {
            Layer layer = network.Layers[l - 1];
            bool output = l == layers;
            weights[l - 1] = new Node[layer.UnitCount][];
            a[l - 1] = new Node[layer.UnitCount];
            var outputs = new List<Node>();
            if (!output)
            {
                outputs.Add(graph.Input("z" + Notation.Layer(l) + "₀", 1.0));   // z_0 = 1, the next layer's bias input
            }

            for (int j = 1; j <= layer.UnitCount; j++)
            {
                weights[l - 1][j - 1] = [.. Enumerable.Range(0, layer.InputCount + 1).Select(i => graph.Input(Notation.Weight(l, j, i), layer.Weights[j - 1, i]))];
                a[l - 1][j - 1] = graph.WeightedSum("a" + Notation.Layer(l) + Notation.Subscripts(j), weights[l - 1][j - 1], z[l - 1]);
                bool linear = layer.Activation.Kind == ActivationKind.Identity;
                outputs.Add(linear ? a[l - 1][j - 1] : graph.Activate((output ? "y" : "z" + Notation.Layer(l)) + Notation.Subscripts(j), layer.Activation, a[l - 1][j - 1]));
            }

            z[l] = [.. outputs];
        }

        var errors = z[layers].Select((y, k) => graph.Minus("e" + Notation.Subscripts(k + 1), y, t[k])).ToArray();
        return new NetworkGraph(graph, weights, a, z, graph.HalfSumOfSquares("L", errors));
    }

    /// <summary>The leaf of the weight w⁽ˡ⁾ⱼᵢ (i = 0: the bias), numbered as in the lecture.</summary>
    public Node Weight(int l, int j, int i) => _weights[Layer(l) - 1][Index(j, 1, _a[l - 1].Length, "j")][Index(i, 0, _weights[l - 1][0].Length - 1, "i")];

    /// <summary>The node of the activation a⁽ˡ⁾ⱼ = Σ_i w⁽ˡ⁾ⱼᵢ z⁽ˡ⁻¹⁾ᵢ; its gradient is δ⁽ˡ⁾ⱼ.</summary>
    public Node A(int l, int j) => _a[Layer(l) - 1][Index(j, 1, _a[l - 1].Length, "j")];

    /// <summary>The node of z⁽ˡ⁾ⱼ: l = 0 the inputs x_i, j = 0 the bias leaf z_0 = 1 (hidden layers and the input only); for the outputs y_k.</summary>
    public Node Z(int l, int j)
    {
        if (l < 0 || l > LayerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(l), l, $"Z(l, j) takes l = 0 (the inputs) … {LayerCount} (the outputs).");
        }

        return l < LayerCount ? _z[l][Index(j, 0, _z[l].Length - 1, "j")] : _z[l][Index(j, 1, _z[l].Length, "j")];
    }

    /// <summary>The matrix ∂L/∂W⁽ˡ⁾ read from the weight leaves' gradients after <see cref="ComputationGraph.Backward"/>, shaped like the layer's weights.</summary>
    public Matrix<double> WeightGradient(int l) => WeightGradient(l, [.. Graph.Nodes.Select(n => n.Gradient)]);

    /// <summary>The matrix ∂L/∂W⁽ˡ⁾ read from <paramref name="gradients"/>, one entry per node in the order of <see cref="ComputationGraph.Nodes"/>.</summary>
    /// <exception cref="ArgumentException">The list does not have one entry per node.</exception>
    public Matrix<double> WeightGradient(int l, IReadOnlyList<double> gradients)
    {
        RequireOnePerNode(gradients);
        var w = _weights[Layer(l) - 1];
        return Matrix<double>.Build.Dense(w.Length, w[0].Length, (j, i) => gradients[w[j][i].Index]);
    }

    /// <summary>The vector δ⁽ˡ⁾ read from the a⁽ˡ⁾ⱼ nodes' gradients after <see cref="ComputationGraph.Backward"/>.</summary>
    public Vector<double> Delta(int l) => Delta(l, [.. Graph.Nodes.Select(n => n.Gradient)]);

    /// <summary>The vector δ⁽ˡ⁾ read from <paramref name="gradients"/>, one entry per node in the order of <see cref="ComputationGraph.Nodes"/>.</summary>
    /// <exception cref="ArgumentException">The list does not have one entry per node.</exception>
    public Vector<double> Delta(int l, IReadOnlyList<double> gradients)
    {
        RequireOnePerNode(gradients);
        return Vector<double>.Build.DenseOfEnumerable(_a[Layer(l) - 1].Select(a => gradients[a.Index]));
    }

    private void RequireOnePerNode(IReadOnlyList<double> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count != Graph.Nodes.Count)
        {
            throw new ArgumentException($"gradients must hold one entry per node of the graph ({Graph.Nodes.Count}), but it holds {gradients.Count}.", nameof(gradients));
        }
    }

    private int Layer(int l) =>
        l >= 1 && l <= LayerCount ? l : throw new ArgumentOutOfRangeException(nameof(l), l, $"layers are numbered as in the lecture, l = 1 … {LayerCount}.");

    private static int Index(int value, int first, int last, string name) =>
        value >= first && value <= last ? value - (first == 1 ? 1 : 0)
            : throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} runs from {first} to {last} here."));

    private static void Require(Vector<double> v, int count, string name, string what)
    {
        if (v.Count != count || v.Any(e => !double.IsFinite(e)))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} must have {count} finite entries (the network's {what}), but it is [{string.Join(", ", v.Select(e => e.ToString("G4", CultureInfo.InvariantCulture)))}]."), name);
        }
    }
}
