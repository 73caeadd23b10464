    var W1 = Matrix<double>.Build.DenseOfArray(new double[,] { { s * (width / 2 - c), s }, { -s * (c + width / 2), s } });
    var W2 = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.0, height, -height } });   // the factor 1/2 forgotten
    return (W1, W2);
