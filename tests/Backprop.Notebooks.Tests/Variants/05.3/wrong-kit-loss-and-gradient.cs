    // Kit call: Mlp.LossAndGradient — the loss that comes with the gradient
    var (total, _) = network.LossAndGradient(data.Inputs, data.Targets, Loss.SoftmaxCrossEntropy);
    return (total / data.Count, Math.Log(data.TargetCount));
