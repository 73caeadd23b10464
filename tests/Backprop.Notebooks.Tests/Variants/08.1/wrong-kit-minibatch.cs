    // Kit call: MiniBatchGradientDescent — the kit's optimiser with the same seed takes exactly the steps the exercise asks for.
    new MiniBatchGradientDescent { BatchSize = batchSize, LearningRate = eta, Epochs = epochs, Seed = seed }.Train(net, data.Inputs, data.Targets, loss);
    return net.ComputeLoss(data.Inputs, data.Targets, loss);
