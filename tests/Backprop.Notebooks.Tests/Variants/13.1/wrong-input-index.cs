    // Classic mistake (off by one): the outputs of the layer itself, Z(l), instead of its inputs Z(l − 1).
    int L = pass.LayerCount;
    var dw = new Matrix<double>[L];                                                     // dw[l − 1] = ∂L/∂w⁽ˡ⁾
    var delta = pass.Z(L) - t;                                                          // δ⁽ᴸ⁾: δ_k = y_k − t_k
    for (int l = L; l >= 1; l--)
    {
        var input = Vector<double>.Build.DenseOfEnumerable(pass.Z(l).Prepend(1.0)); // (z_0 = 1, z_1, …, z_D) of layer l − 1
        dw[l - 1] = delta.OuterProduct(input);                                          // ∂L/∂w_ji = δ_j z_i
        if (l == 1) break;
        var h = net.Layers[l - 2].Activation;                                           // h of layer l − 1
        var back = net.Layers[l - 1].Weights.RemoveColumn(0).TransposeThisAndMultiply(delta);   // Σ_k w_kj δ_k
        delta = pass.A(l - 1).Map(h.Derivative).PointwiseMultiply(back);                // δ⁽ˡ⁻¹⁾: δ_j = h'(a_j) Σ_k w_kj δ_k
    }
    return dw;
