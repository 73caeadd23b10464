    // Forgets the upstream gradient: adds only the local gradients.
    var gradient = new double[graph.Nodes.Count];
    gradient[^1] = 1;
    for (int n = graph.Nodes.Count - 1; n >= 0; n--)
        foreach (var edge in graph.Nodes[n].Inputs)
            gradient[edge.From.Index] += edge.Local;
    return gradient;
