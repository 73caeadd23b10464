    var pass = network.Forward(X);
    var delta = pass.Outputs - T;
    double lossValue = 0.5 * delta.Enumerate().Sum(d => d * d);
    var gradient = new List<double>();
    var blocks = new Matrix<double>[network.Layers.Count];
    for (int l = network.Layers.Count - 1; l >= 0; l--)
    {
        var ones = Vector<double>.Build.Dense(X.RowCount, 1.0);
        blocks[l] = delta.Transpose() * pass.Z(l).InsertColumn(0, ones);
        if (l > 0)
        {
            var below = network.Layers[l - 1].Activation;
            var hPrime = pass.A(l).Map(a => below.Derivative(a));       // h'(a_j) from the stored activations
            delta = hPrime.PointwiseMultiply(delta * network.Layers[l].Weights.RemoveColumn(0));
        }
    }
    foreach (var b in blocks) gradient.AddRange(b.ToRowMajorArray());
    return (lossValue, Vector<double>.Build.DenseOfEnumerable(gradient));
