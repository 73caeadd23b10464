    // Stores upstream × local instead of adding it: a value used twice keeps only its last use.
    var gradient = new double[graph.Nodes.Count];
    gradient[^1] = 1;
    for (int n = graph.Nodes.Count - 1; n >= 0; n--)
        foreach (var edge in graph.Nodes[n].Inputs)
            gradient[edge.From.Index] = gradient[n] * edge.Local;
    return gradient;
