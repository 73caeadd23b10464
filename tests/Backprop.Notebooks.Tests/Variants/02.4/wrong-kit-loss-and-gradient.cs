    // Kit call: Mlp.LossAndGradient — the kit's gradient of a network holding W1 and W2, through a lambda, cut back into the two matrices.
    var net = new Mlp(new[] { W1.ColumnCount - 1, W1.RowCount, W2.RowCount }, Activation.Tanh, Activation.Identity, seed: 0);
    net.Layers[0].SetWeights(W1);
    net.Layers[1].SetWeights(W2);
    Func<Mlp, Vector<double>> gradientOf = n => n.LossAndGradient(x.ToRowMatrix(), t.ToRowMatrix(), Loss.HalfSumOfSquares).Gradient;
    var g = gradientOf(net);
    int first = W1.RowCount * W1.ColumnCount;
    return (Matrix<double>.Build.DenseOfRowMajor(W1.RowCount, W1.ColumnCount, g.Take(first)),
            Matrix<double>.Build.DenseOfRowMajor(W2.RowCount, W2.ColumnCount, g.Skip(first)));
