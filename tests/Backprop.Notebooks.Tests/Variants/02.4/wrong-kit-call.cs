    // Kit call: Mlp.Backward — a network holding W1 and W2 and the kit's backward pass instead of the four steps.
    var net = new Mlp(new[] { W1.ColumnCount - 1, W1.RowCount, W2.RowCount }, Activation.Tanh, Activation.Identity, seed: 0);
    net.Layers[0].SetWeights(W1);
    net.Layers[1].SetWeights(W2);
    var g = net.Backward(net.Forward(x), t, Loss.HalfSumOfSquares);
    return (g.WeightGradient(1), g.WeightGradient(2));
