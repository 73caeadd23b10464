    // Classic mistake: h'(0) = 1 for the rectifiers (a >= 0 instead of a > 0), not the kit's value at the kink.
    // Public check passes: its network is tanh/logistic; only the hidden checks' ReLU, leaky ReLU and ELU networks with a hidden unit at a = 0 exactly reach the kink.
    int layers = net.Layers.Count;
    var dw = new Matrix<double>[layers];
    var delta = pass.Z[layers] - t;                                                     // δ_k = y_k − t_k
    for (int l = layers - 1; l >= 0; l--)
    {
        var input = Vector<double>.Build.DenseOfEnumerable(pass.Z[l].Prepend(1.0));    // (z_0 = 1, z_1, …, z_D)
        dw[l] = delta.OuterProduct(input);                                              // ∂L/∂w_ji = δ_j z_i
        if (l == 0) break;
        var h = net.Layers[l - 1].Activation;                                           // the units whose outputs are Z[l]
        var back = net.Layers[l].Weights.RemoveColumn(0).TransposeThisAndMultiply(delta);   // Σ_k w_kj δ_k
        delta = pass.A[l - 1].Map(a => h.IsRectifier && a == 0 ? 1.0 : h.Derivative(a)).PointwiseMultiply(back);                // δ_j = h'(a_j) Σ_k w_kj δ_k
    }
    return dw;
