    // Kit call: BatchGradientDescent.BatchGradientDescent — the kit's optimiser, one epoch at a time with the extension Train(net, data, loss): η·N on its mean gradient, no momentum.
    var optimiser = new BatchGradientDescent { LearningRate = eta * data.Count, Momentum = 0, Epochs = 1, MeasureHistory = false };
    var losses = new List<double> { net.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares) };
    for (int epoch = 0; epoch < epochs; epoch++)
    {
        optimiser.Train(net, data, Loss.HalfSumOfSquares);
        losses.Add(net.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares));
    }
    return losses;
