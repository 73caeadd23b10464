    // Kit call: SampleGradients.WeightGradientNorms — every sample's per-layer norms from the kit, combined into the norm of its whole gradient.
    var (_, total) = net.LossAndGradient(data.Inputs, data.Targets, loss);
    var perLayer = SampleGradients.WeightGradientNorms(net, data.Inputs, data.Targets, loss);
    double perSample = Enumerable.Range(0, data.Count).Average(n => Math.Sqrt(perLayer.Sum(layer => layer[n] * layer[n])));
    return (total.L2Norm() / data.Count, perSample);
