    // log10 where the natural logarithm belongs, in both numbers
    var outputs = network.Forward(data.Inputs).Outputs;
    double total = 0;
    for (int n = 0; n < data.Count; n++)
    {
        var p = Softmax(outputs.Row(n));
        for (int k = 0; k < p.Count; k++) if (data.Targets[n, k] != 0) total -= data.Targets[n, k] * Math.Log10(p[k]);
    }
    return (total / data.Count, Math.Log10(data.TargetCount));
