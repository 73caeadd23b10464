    // Recursion from the input side: each call returns the δ of its layer and fills the gradients above.
    var result = new Matrix<double>[net.Layers.Count];
    Vector<double> DeltaOf(int l)
    {
        if (l == net.Layers.Count - 1) return pass.Output - t;
        var above = DeltaOf(l + 1);
        var back = net.Layers[l + 1].Weights.SubMatrix(0, above.Count, 1, pass.A(l + 1).Count).Transpose() * above;
        return Vector<double>.Build.Dense(back.Count, j => net.Layers[l].Activation.Derivative(pass.A(l + 1)[j]) * back[j]);
    }
    for (int l = 0; l < net.Layers.Count; l++)
    {
        var d = DeltaOf(l);
        var zWithBias = Vector<double>.Build.Dense(pass.Z(l).Count + 1, i => i == 0 ? 1.0 : pass.Z(l)[i - 1]);
        result[l] = d.ToColumnMatrix() * zWithBias.ToRowMatrix();
    }
    return result;
