    // Kit call: GradientChecker.NumericalGradient — the kit's central differences of L, through the alias Core::, instead of backpropagation.
    var net = new Mlp(new[] { W1.ColumnCount - 1, W1.RowCount, W2.RowCount }, Activation.Tanh, Activation.Identity, seed: 0);
    double L(Vector<double> w)
    {
        net.SetParameters(w);
        var e = net.Forward(x).Output - t;
        return 0.5 * e.DotProduct(e);
    }
    var g = Core::GradientChecker.NumericalGradient(L, Vector<double>.Build.DenseOfEnumerable(W1.ToRowMajorArray().Concat(W2.ToRowMajorArray())));
    int first = W1.RowCount * W1.ColumnCount;
    return (Matrix<double>.Build.DenseOfRowMajor(W1.RowCount, W1.ColumnCount, g.Take(first)),
            Matrix<double>.Build.DenseOfRowMajor(W2.RowCount, W2.ColumnCount, g.Skip(first)));
