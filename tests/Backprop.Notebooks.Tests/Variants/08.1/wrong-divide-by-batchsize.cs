    // classic mistake: the last, shorter batch is divided by batchSize instead of its own size
    for (var epoch = 0; epoch < epochs; epoch++)
    {
        random.Shuffle(order);
        for (var first = 0; first < data.Count; first += batchSize)
        {
            var count = Math.Min(batchSize, data.Count - first);
            var batch = data.Subset(order[first..(first + count)]);
            var (_, gradient) = net.LossAndGradient(batch.Inputs, batch.Targets, loss);
            net.SetParameters(net.GetParameters() - (eta / batchSize) * gradient);
        }
    }
    return net.ComputeLoss(data.Inputs, data.Targets, loss);
