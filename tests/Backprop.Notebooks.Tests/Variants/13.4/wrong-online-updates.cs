    // Classic mistake: updates after every sample (online SGD) where batch gradient descent was asked.
    var losses = new List<double>();
    for (int epoch = 0; epoch <= epochs; epoch++)
    {
        double loss = 0;
        for (int n = 0; n < data.Count; n++)
        {
            var pass = net.Forward(data.Inputs.Row(n));
            var e = pass.Output - data.Targets.Row(n);
            loss += 0.5 * e.DotProduct(e);
            if (epoch == epochs) continue;
            var g = Backward(net, pass, data.Targets.Row(n));
            for (int l = 0; l < g.Length; l++) net.Layers[l].SetWeights(net.Layers[l].Weights - eta * g[l]);
        }
        losses.Add(loss);
    }
    return losses;
