    // stops half-way: ∂L_n/∂p_k = −t_k / p_k, not yet through the softmax to ∂L_n/∂a_j
    var p = Softmax(a);
    return Vector<double>.Build.Dense(a.Count, k => -t[k] / p[k]);
