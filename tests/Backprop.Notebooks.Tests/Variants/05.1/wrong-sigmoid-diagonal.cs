// KEEP
// NEXT SOLUTION
    // each p_k treated as its own logistic unit: p_k (1 − p_k) on the diagonal, nothing off it
    var p = Softmax(a);
    return Matrix<double>.Build.DenseOfDiagonalVector(p.Map(pk => pk * (1 - pk)));
