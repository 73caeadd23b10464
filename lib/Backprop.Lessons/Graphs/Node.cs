using System.Globalization;

namespace Backprop.Lessons.Graphs;

/// <summary>
/// One scalar of a <c>ComputationGraph</c>: an input, a weight or the result of one operation on earlier nodes.
/// It keeps its forward value, the local gradients ∂(this)/∂(input) of the operation that made it (one <see cref="Edge"/>
/// per use of an input), and, after a backward pass, its gradient ∂L/∂(this) (lesson 03: the chain rule on a graph).
/// </summary>
public sealed class Node
{
    private readonly Edge[] _inputs;

    internal Node(object owner, int index, string name, string operation, double value, Edge[] inputs)
    {
        Owner = owner;
        Index = index;
        Name = name;
        Operation = operation;
        Value = value;
        _inputs = inputs;
    }

    /// <summary>The node's place in <c>ComputationGraph.Nodes</c>: every input of a node comes before it.</summary>
    public int Index { get; }

    /// <summary>The node's name as the lesson writes it, e.g. "a₁" or "w⁽¹⁾₁₀".</summary>
    public string Name { get; }

    /// <summary>The operation that made the node: "input" for a leaf (an input, a weight, a constant), else "+", "−", "×", "Σ w·z", "tanh", "½ Σ e²", ….</summary>
    public string Operation { get; }

    /// <summary>The forward value, computed when the node was made.</summary>
    public double Value { get; }

    /// <summary>
    /// One edge per use of an input, with the local gradient ∂(this)/∂(input) at the forward values. A node that uses the
    /// same input twice (u · u) has two edges to it: the backward pass adds both contributions. A leaf has none.
    /// </summary>
    public IReadOnlyList<Edge> Inputs => _inputs;

    /// <summary>Whether the node is a leaf: an input, a weight or a constant, made by no operation.</summary>
    public bool IsLeaf => _inputs.Length == 0;

    /// <summary>∂L/∂(this node) after <c>ComputationGraph.Backward</c>; NaN before any backward pass.</summary>
    public double Gradient { get; internal set; } = double.NaN;

    /// <summary>The graph that made the node (compared by reference only, so this file does not name the graph's type).</summary>
    internal object Owner { get; }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} = {Value:G6} ({Operation})");
}

/// <summary>
/// The edge from an input of a node to the node: <see cref="From"/> is the input, <see cref="Local"/> the local gradient
/// ∂(node)/∂(input) at the forward values. Backward sends "upstream gradient × local gradient" along it.
/// </summary>
/// <param name="From">The input node.</param>
/// <param name="Local">∂(node)/∂(From), the local gradient.</param>
public readonly record struct Edge(Node From, double Local);
