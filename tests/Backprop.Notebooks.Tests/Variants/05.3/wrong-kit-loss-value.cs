    // Kit call: Loss.Value — the kit's cross-entropy of each sample
    var outputs = network.Forward(data.Inputs).Outputs;
    double total = 0;
    for (int n = 0; n < data.Count; n++) total += Loss.SoftmaxCrossEntropy.Value(outputs.Row(n), data.Targets.Row(n));
    return (total / data.Count, Math.Log(data.TargetCount));
