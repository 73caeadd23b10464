    // Recursion from the input side: each call returns δ⁽ˡ⁾ of its layer l and fills the gradients above.
    int L = pass.LayerCount;
    var result = new Matrix<double>[L];
    Vector<double> DeltaOf(int l)
    {
        if (l == L) return pass.Output - t;
        var above = DeltaOf(l + 1);
        var back = net.Layers[l].Weights.SubMatrix(0, above.Count, 1, pass.A(l).Count).Transpose() * above;   // w⁽ˡ⁺¹⁾ without its bias column
        return Vector<double>.Build.Dense(back.Count, j => net.Layers[l - 1].Activation.Derivative(pass.A(l)[j]) * back[j]);
    }
    for (int l = 1; l <= L; l++)
    {
        var d = DeltaOf(l);
        var zWithBias = Vector<double>.Build.Dense(pass.Z(l - 1).Count + 1, i => i == 0 ? 1.0 : pass.Z(l - 1)[i - 1]);
        result[l - 1] = d.ToColumnMatrix() * zWithBias.ToRowMatrix();
    }
    return result;
