    // Kit call: Mlp.LossAndGradient — the kit's gradient of the one-sample loss, as a delegate, cut into the layers' matrices.
    Func<Matrix<double>, Matrix<double>, Loss, (double Loss, Vector<double> Gradient)> lossAndGradient = net.LossAndGradient;
    var g = lossAndGradient(pass.Input.ToRowMatrix(), t.ToRowMatrix(), Loss.HalfSumOfSquares).Gradient;
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
