    for (var epoch = 1; epoch <= epochs; epoch++)
    {
        random.Shuffle(order);
        var start = 0;
        while (start < order.Length)
        {
            var end = Math.Min(start + batchSize, order.Length);
            var indices = new List<int>();
            for (var i = start; i < end; i++)
            {
                indices.Add(order[i]);
            }
            var batch = data.Subset(indices);
            var w = net.GetParameters();
            var g = net.LossAndGradient(batch.Inputs, batch.Targets, loss).Gradient;
            net.SetParameters(w - g * (eta / indices.Count));
            start = end;
        }
    }
    return net.ComputeLoss(data.Inputs, data.Targets, loss);
