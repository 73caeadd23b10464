    // Works on the parameter vector: flattens each sample's gradient in the kit's order and updates with SetParameters.
    double LossOf(Mlp network) => Enumerable.Range(0, data.Count).Sum(n =>
    {
        var e = network.Forward(data.Inputs.Row(n)).Output - data.Targets.Row(n);
        return 0.5 * e.DotProduct(e);
    });
    var history = new List<double> { LossOf(net) };
    for (int epoch = 1; epoch <= epochs; epoch++)
    {
        var gradient = Vector<double>.Build.Dense(net.ParameterCount);
        for (int n = 0; n < data.Count; n++)
        {
            var g = Backward(net, net.Forward(data.Inputs.Row(n)), data.Targets.Row(n));
            gradient += Vector<double>.Build.DenseOfEnumerable(g.SelectMany(m => m.ToRowMajorArray()));
        }
        net.SetParameters(net.GetParameters() - eta * gradient);
        history.Add(LossOf(net));
    }
    return history;
