    // Kit call: Mlp.ComputeLoss — the network's own loss method
    return (network.ComputeLoss(data.Inputs, data.Targets, Loss.SoftmaxCrossEntropy) / data.Count, Math.Log(data.TargetCount));
