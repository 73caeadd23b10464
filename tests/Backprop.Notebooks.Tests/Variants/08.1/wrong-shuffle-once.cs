    // classic mistake: the order is shuffled once before training, not at the start of every epoch
    random.Shuffle(order);
    for (var epoch = 0; epoch < epochs; epoch++)
    {
        for (var first = 0; first < data.Count; first += batchSize)
        {
            var count = Math.Min(batchSize, data.Count - first);
            var batch = data.Subset(order[first..(first + count)]);
            var (_, gradient) = net.LossAndGradient(batch.Inputs, batch.Targets, loss);
            net.SetParameters(net.GetParameters() - (eta / count) * gradient);
        }
    }
    return net.ComputeLoss(data.Inputs, data.Targets, loss);
