    // Visits the nodes first to last: a node passes its gradient on before its users have sent theirs.
    var gradient = new double[graph.Nodes.Count];
    gradient[^1] = 1;
    for (int n = 0; n < graph.Nodes.Count; n++)
        foreach (var edge in graph.Nodes[n].Inputs)
            gradient[edge.From.Index] += gradient[n] * edge.Local;
    return gradient;
