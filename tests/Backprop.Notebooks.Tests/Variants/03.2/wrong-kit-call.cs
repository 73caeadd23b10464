    // Kit call: ComputationGraph.Backward — the kit's backward pass, its results read back from the nodes.
    graph.Backward(graph.Nodes[^1]);
    return graph.Nodes.Select(node => node.Gradient).ToArray();
