    // leaves the bug in: tanh's 1 − z² for every hidden layer
    var pass = network.Forward(X);
    var delta = pass.Outputs - T;
    double lossValue = 0.5 * delta.Enumerate().Sum(d => d * d);
    var blocks = new Matrix<double>[network.Layers.Count];
    for (int l = network.Layers.Count - 1; l >= 0; l--)
    {
        blocks[l] = delta.TransposeThisAndMultiply(pass.Z(l).InsertColumn(0, Vector<double>.Build.Dense(X.RowCount, 1.0)));
        if (l == 0) break;
        delta = pass.Z(l).Map(z => 1 - z * z).PointwiseMultiply(delta * network.Layers[l].Weights.RemoveColumn(0));
    }
    return (lossValue, Vector<double>.Build.DenseOfEnumerable(blocks.SelectMany(b => b.ToRowMajorArray())));
