    // Kit call: Mlp.LossAndGradient — the kit's loss and summed gradient of the whole set, as a delegate made from the method.
    Func<Matrix<double>, Matrix<double>, Loss, (double Loss, Vector<double> Gradient)> lossAndGradient = net.LossAndGradient;
    var losses = new List<double>();
    for (int epoch = 0; epoch < epochs; epoch++)
    {
        var (loss, gradient) = lossAndGradient(data.Inputs, data.Targets, Loss.HalfSumOfSquares);
        losses.Add(loss);
        net.SetParameters(net.GetParameters() - eta * gradient);
    }
    losses.Add(net.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares));
    return losses;
