    // Kit call: Mlp.Backward — each sample's loss from the backward pass
    double total = 0;
    for (int n = 0; n < data.Count; n++)
    {
        var x = data.Inputs.Row(n);
        total += network.Backward(network.Forward(x), data.Targets.Row(n), Loss.SoftmaxCrossEntropy).Loss;
    }
    return (total / data.Count, Math.Log(data.TargetCount));
