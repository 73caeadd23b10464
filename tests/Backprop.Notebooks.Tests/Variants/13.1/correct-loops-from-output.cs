    // Explicit loops over j and i, h' written through the stored outputs z_j (DerivativeFromOutput), recursion kept in arrays.
    int L = pass.LayerCount;
    var grads = new Matrix<double>[L];
    double[] delta = (pass.Output - t).ToArray();                       // δ_k = y_k − t_k
    for (int l = L; l >= 1; l--)
    {
        var z = pass.Z(l - 1);                                          // the input of layer l
        var g = Matrix<double>.Build.Dense(delta.Length, z.Count + 1);
        for (int j = 0; j < delta.Length; j++)
        {
            g[j, 0] = delta[j];                                         // z_0 = 1
            for (int i = 0; i < z.Count; i++) g[j, i + 1] = delta[j] * z[i];
        }
        grads[l - 1] = g;
        if (l > 1)
        {
            var w = net.Layers[l - 1].Weights;                          // w⁽ˡ⁾
            var below = net.Layers[l - 2].Activation;                  // h of layer l − 1
            var next = new double[z.Count];
            for (int j = 0; j < z.Count; j++)
            {
                double sum = 0;
                for (int k = 0; k < delta.Length; k++) sum += w[k, j + 1] * delta[k];
                next[j] = below.DerivativeFromOutput(z[j]) * sum;
            }
            delta = next;
        }
    }
    return grads;
