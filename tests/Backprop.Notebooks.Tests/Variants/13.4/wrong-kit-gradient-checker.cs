    // Kit call: GradientChecker.NumericalGradient — the kit's central differences of the whole-set loss instead of backpropagation, in a helper lambda.
    Func<Vector<double>, Vector<double>> gradientAt = w =>
    {
        var probe = net.Clone();
        return GradientChecker.NumericalGradient(v => { probe.SetParameters(v); return probe.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares); }, w);
    };
    var losses = new List<double>();
    for (int epoch = 0; epoch < epochs; epoch++)
    {
        losses.Add(net.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares));
        net.SetParameters(net.GetParameters() - eta * gradientAt(net.GetParameters()));
    }
    losses.Add(net.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares));
    return losses;
