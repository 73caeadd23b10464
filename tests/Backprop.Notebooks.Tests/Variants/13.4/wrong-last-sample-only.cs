    // Classic mistake: the gradient of the last sample only, not summed over the data.
    var losses = new List<double>();
    for (int epoch = 0; epoch <= epochs; epoch++)
    {
        double loss = 0;
        var sum = net.Layers.Select(layer => Matrix<double>.Build.Dense(layer.UnitCount, layer.InputCount + 1)).ToArray();
        for (int n = 0; n < data.Count; n++)
        {
            var pass = net.Forward(data.Inputs.Row(n));
            var e = pass.Output - data.Targets.Row(n);
            loss += 0.5 * e.DotProduct(e);
            var g = Backward(net, pass, data.Targets.Row(n));
            for (int l = 0; l < sum.Length; l++) sum[l] = g[l];
        }
        losses.Add(loss);
        if (epoch == epochs) break;
        for (int l = 0; l < sum.Length; l++)
            net.Layers[l].SetWeights(net.Layers[l].Weights - eta * sum[l]);   // w ← w − η ∂L/∂w
    }
    return losses;
