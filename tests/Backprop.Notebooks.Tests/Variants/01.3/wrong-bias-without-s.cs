    var W1 = Matrix<double>.Build.DenseOfArray(new double[,] { { width / 2 - c, s }, { -(c + width / 2), s } });   // bias not multiplied by s
    var W2 = Matrix<double>.Build.DenseOfArray(new double[,] { { 0.0, height / 2, -height / 2 } });
    return (W1, W2);
