// KEEP
// NEXT SOLUTION
    // the sign flipped: p_k (p_j − I_kj)
    var p = Softmax(a);
    return Matrix<double>.Build.Dense(p.Count, p.Count, (k, j) => p[k] * (p[j] - (k == j ? 1.0 : 0.0)));
