    // the half sum of squares of p − t (the curve-fitting loss) instead of the cross-entropy
    var outputs = network.Forward(data.Inputs).Outputs;
    double total = 0;
    for (int n = 0; n < data.Count; n++)
    {
        var e = Softmax(outputs.Row(n)) - data.Targets.Row(n);
        total += 0.5 * e.DotProduct(e);
    }
    return (total / data.Count, Math.Log(data.TargetCount));
