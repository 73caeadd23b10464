    // Kit call: Mlp.Backward — a 1-1-1 tanh network with both weights w and no biases; the two weight gradients added.
    var net = new Mlp(new[] { 1, 1, 1 }, Activation.Tanh, Activation.Tanh, seed: 0);
    net.Layers[0].SetWeights(Matrix<double>.Build.DenseOfArray(new double[,] { { 0, w } }));
    net.Layers[1].SetWeights(Matrix<double>.Build.DenseOfArray(new double[,] { { 0, w } }));
    var g = net.Backward(net.Forward(Vector<double>.Build.Dense(new[] { x })), Vector<double>.Build.Dense(new[] { t }), Loss.HalfSumOfSquares);
    return g.WeightGradient(1)[0, 1] + g.WeightGradient(2)[0, 1];
