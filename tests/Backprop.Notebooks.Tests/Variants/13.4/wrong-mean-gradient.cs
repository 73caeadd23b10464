    // Classic mistake: the gradient of the mean loss, while L is the sum over samples (the step is N times too small).
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
            for (int l = 0; l < sum.Length; l++) sum[l] += g[l];
        }
        losses.Add(loss);
        if (epoch == epochs) break;
        for (int l = 0; l < sum.Length; l++)
            net.Layers[l].SetWeights(net.Layers[l].Weights - eta / data.Count * sum[l]);   // w ← w − η ∂L/∂w
    }
    return losses;
