    // the summed gradient built from the per-sample gradients themselves
    Vector<double>? sum = null;
    var norms = new List<double>();
    for (var n = 0; n < data.Count; n++)
    {
        var g = net.LossAndGradient(data.Subset(new[] { n }).Inputs, data.Subset(new[] { n }).Targets, loss).Gradient;
        sum = sum is null ? g : sum + g;
        norms.Add(g.L2Norm());
    }
    return ((sum! / data.Count).L2Norm(), norms.Average());
