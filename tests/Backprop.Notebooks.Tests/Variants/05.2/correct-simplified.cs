    // the sum worked out on paper: δ_j = p_j Σ_k t_k − t_j
    var p = Softmax(a);
    return p * t.Sum() - t;
