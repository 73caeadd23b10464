    // The other way round: each node pulls its gradient from the nodes that use it (a sum over its uses), last node first.
    int count = graph.Nodes.Count;
    var users = new List<(int User, double Local)>[count];
    for (int n = 0; n < count; n++) users[n] = new();
    foreach (var node in graph.Nodes)
        foreach (var edge in node.Inputs)
            users[edge.From.Index].Add((node.Index, edge.Local));
    var gradient = new double[count];
    for (int n = count - 1; n >= 0; n--)
        gradient[n] = n == count - 1 ? 1.0 : users[n].Where(u => u.User < count).Sum(u => gradient[u.User] * u.Local);
    return gradient;
