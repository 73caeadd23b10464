    var e = (a - a.Maximum()).PointwiseExp();
    return e.Divide(e.Sum());
// NEXT SOLUTION
    var p = Softmax(a);
    return Matrix<double>.Build.DenseOfDiagonalVector(p) - p.OuterProduct(p);   // diag(p) − p pᵀ
