    int D = x.Count, M = W1.RowCount, K = W2.RowCount;
    var z = new double[M + 1];
    z[0] = 1.0;
    for (int j = 1; j <= M; j++)
    {
        double a = W1[j - 1, 0];
        for (int i = 1; i <= D; i++) a += W1[j - 1, i] * x[i - 1];
        z[j] = Math.Tanh(a);
    }
    var deltaK = new double[K];
    for (int k = 0; k < K; k++)
    {
        double y = 0;
        for (int j = 0; j <= M; j++) y += W2[k, j] * z[j];
        deltaK[k] = y - t[k];
    }
    var G1 = Matrix<double>.Build.Dense(M, D + 1);
    var G2 = Matrix<double>.Build.Dense(K, M + 1);
    for (int k = 0; k < K; k++)
        for (int j = 0; j <= M; j++) G2[k, j] = deltaK[k] * z[j];
    for (int j = 1; j <= M; j++)
    {
        double back = 0;
        for (int k = 0; k < K; k++) back += W2[k, j] * deltaK[k];
        double deltaJ = (1 - z[j] * z[j]) * back;
        G1[j - 1, 0] = deltaJ;
        for (int i = 1; i <= D; i++) G1[j - 1, i] = deltaJ * x[i - 1];
    }
    return (G1, G2);
