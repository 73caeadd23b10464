    var W1 = Matrix<double>.Build.DenseOfArray(new double[,] { { s * (c - width / 2), s }, { s * (c + width / 2), s } });   // bias sign flipped
    var W2 = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.0, height / 2, -height / 2 } });
    return (W1, W2);
