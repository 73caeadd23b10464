    // L instead of L/N
    var outputs = network.Forward(data.Inputs).Outputs;
    double total = 0;
    for (int n = 0; n < data.Count; n++)
    {
        var p = Softmax(outputs.Row(n));
        for (int k = 0; k < p.Count; k++) if (data.Targets[n, k] != 0) total -= data.Targets[n, k] * Math.Log(p[k]);
    }
    return (total, Math.Log(data.TargetCount));
