    // classic mistake: PerSample computed as the norm of the mean gradient (the per-sample gradients cancel)
    var (_, total) = net.LossAndGradient(data.Inputs, data.Targets, loss);
    var mean = total / data.Count;
    return (mean.L2Norm(), mean.L2Norm());
