using System.Globalization;

namespace Backprop.Lessons.Graphs;

/// <summary>
/// A computation graph of scalars, built one operation at a time like the maths is written: each call makes a node,
/// computes its value from its inputs (the forward pass) and keeps the local gradient of the operation towards each input.
/// <see cref="Backward"/> is the chain rule on the graph: ∂L/∂L = 1, then, from the last node to the first, every node sends
/// its gradient times each local gradient to the input, and an input used several times adds what it receives
/// (lesson 03; the lecture's δ_j = h'(a_j) Σ_k w_kj δ_k is this sum at the fork z_j).
/// </summary>
/// <example>
/// <code>
/// var g = new ComputationGraph();
/// var (x, w, b) = (g.Input("x", 1.5), g.Input("w", 0.8), g.Input("b", -0.5));
/// var z = g.Tanh("z", g.Add("a", g.Multiply("u", w, x), b));
/// var L = g.HalfSumOfSquares("L", g.Minus("e", z, 0.25));
/// g.Backward(L);   // now w.Gradient = ∂L/∂w
/// </code>
/// </example>
public sealed class ComputationGraph
{
    private readonly List<Node> _nodes = [];

    /// <summary>The nodes in the order they were made: a topological order, since a node's inputs are made before it.</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>The number of edges (uses of an input) in the graph: the backward pass does one multiply-add per edge.</summary>
    public int EdgeCount => _nodes.Sum(n => n.Inputs.Count);

    /// <summary>The node called <paramref name="name"/> (the last one made with that name).</summary>
    /// <exception cref="ArgumentException">No node has that name.</exception>
    public Node this[string name] =>
        _nodes.LastOrDefault(n => n.Name == name) ?? throw new ArgumentException($"the graph has no node named '{name}'; its nodes are {string.Join(", ", _nodes.Select(n => n.Name))}.", nameof(name));

    /// <summary>A leaf: an input x_i, a weight w_ji or a constant such as x_0 = 1.</summary>
    /// <exception cref="ArgumentException">The value is NaN or infinite, or the name is empty.</exception>
    public Node Input(string name, double value) => Make(name, "input", value);

    /// <summary>u + v; local gradients ∂/∂u = 1, ∂/∂v = 1.</summary>
    public Node Add(string name, Node u, Node v) => Make(name, "+", Own(u).Value + Own(v).Value, new Edge(u, 1), new Edge(v, 1));

    /// <summary>u − v; local gradients ∂/∂u = 1, ∂/∂v = −1.</summary>
    public Node Subtract(string name, Node u, Node v) => Make(name, "−", Own(u).Value - Own(v).Value, new Edge(u, 1), new Edge(v, -1));

    /// <summary>u − c for a constant c (a target t_k); local gradient ∂/∂u = 1.</summary>
    /// <exception cref="ArgumentException">c is NaN or infinite.</exception>
    public Node Minus(string name, Node u, double c) =>
        Make(name, string.Create(CultureInfo.InvariantCulture, $"− {Finite(c, nameof(c)):G4}"), Own(u).Value - c, new Edge(u, 1));

    /// <summary>u · v; local gradients ∂/∂u = v, ∂/∂v = u (u · u has two edges to u, each with local gradient u).</summary>
    public Node Multiply(string name, Node u, Node v) => Make(name, "×", Own(u).Value * Own(v).Value, new Edge(u, v.Value), new Edge(v, u.Value));

    /// <summary>c · u for a constant c (a weight held fixed); local gradient ∂/∂u = c.</summary>
    /// <exception cref="ArgumentException">c is NaN or infinite.</exception>
    public Node Scale(string name, double c, Node u) =>
        Make(name, string.Create(CultureInfo.InvariantCulture, $"× {Finite(c, nameof(c)):G4}"), c * Own(u).Value, new Edge(u, c));

    /// <summary>
    /// A unit's activation a = Σ_i w_i z_i (lecture: a_j = Σ_{i=0}^{D} w_ji x_i, z_0 = 1); local gradients ∂a/∂w_i = z_i
    /// (the input the weight carries: "δ × input") and ∂a/∂z_i = w_i.
    /// </summary>
    /// <exception cref="ArgumentException">The two lists differ in length or are empty.</exception>
    public Node WeightedSum(string name, IReadOnlyList<Node> weights, IReadOnlyList<Node> inputs)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(inputs);
        if (weights.Count != inputs.Count || weights.Count == 0)
        {
            throw new ArgumentException($"a weighted sum needs one weight per input, but it got {weights.Count} weights and {inputs.Count} inputs.", nameof(weights));
        }

        var edges = new Edge[2 * weights.Count];
        double sum = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            sum += Own(weights[i]).Value * Own(inputs[i]).Value;
            edges[2 * i] = new Edge(weights[i], inputs[i].Value);       // ∂a/∂w_i = z_i
            edges[(2 * i) + 1] = new Edge(inputs[i], weights[i].Value); // ∂a/∂z_i = w_i
        }

        return Make(name, "Σ w·z", sum, edges);
    }

    /// <summary>z = tanh(a); local gradient ∂z/∂a = 1 − z² (lecture: tanh'(a) = 1 − tanh²(a)).</summary>
    public Node Tanh(string name, Node a)
    {
        double z = Math.Tanh(Own(a).Value);
        return Make(name, "tanh", z, new Edge(a, 1 - (z * z)));
    }

    /// <summary>z = h(a) for any activation of the kit; local gradient ∂z/∂a = h'(a).</summary>
    public Node Activate(string name, Activation h, Node a)
    {
        ArgumentNullException.ThrowIfNull(h);
        double value = Own(a).Value;
        return Make(name, h.Name, h.Value(value), new Edge(a, h.Derivative(value)));
    }

    /// <summary>The lecture's loss L = ½ Σ_k e_k² of the errors e_k = y_k − t_k; local gradients ∂L/∂e_k = e_k.</summary>
    /// <exception cref="ArgumentException">No error is given.</exception>
    public Node HalfSumOfSquares(string name, params Node[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
        {
            throw new ArgumentException("the loss needs at least one error e_k.", nameof(errors));
        }

        return Make(name, "½ Σ e²", 0.5 * errors.Sum(e => Own(e).Value * e.Value), [.. errors.Select(e => new Edge(e, e.Value))]);
    }

    /// <summary>
    /// The backward pass: sets every node's <see cref="Node.Gradient"/> to ∂output/∂node. It starts with ∂output/∂output = 1
    /// and zero everywhere else, then visits the nodes in reverse order (so a node's gradient is complete, every use of it
    /// added, before it is passed on) and adds, along each edge, the node's gradient times the edge's local gradient to the input.
    /// Nodes made after <paramref name="output"/> get gradient 0.
    /// </summary>
    /// <param name="output">The node to differentiate, usually the loss L.</param>
    /// <exception cref="ArgumentException">The node belongs to another graph.</exception>
    public void Backward(Node output)
    {
        Own(output);
        foreach (Node node in _nodes)
        {
            node.Gradient = 0;
        }

        output.Gradient = 1;                                               // ∂L/∂L = 1
        for (int n = output.Index; n >= 0; n--)
        {
            Node node = _nodes[n];
            foreach (Edge edge in node.Inputs)
            {
                edge.From.Gradient += node.Gradient * edge.Local;          // upstream × local, added at a fork
            }
        }
    }

    private Node Make(string name, string operation, double value, params Edge[] inputs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"node '{name}' ({operation}) would have the value {value}; every value in the graph must be finite."), nameof(value));
        }

        var node = new Node(this, _nodes.Count, name, operation, value, inputs);
        _nodes.Add(node);
        return node;
    }

    private Node Own(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!ReferenceEquals(node.Owner, this))
        {
            throw new ArgumentException($"node '{node.Name}' belongs to another graph; build every node of a graph with that graph's methods.", nameof(node));
        }

        return node;
    }

    private static double Finite(double value, string name) =>
        double.IsFinite(value) ? value : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} must be finite, but it is {value}."), name);
}
