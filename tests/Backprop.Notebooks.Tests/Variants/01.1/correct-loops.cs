    int M = W1.RowCount, K = W2.RowCount;
    var z = new double[M];
    for (int j = 0; j < M; j++)
    {
        double a = W1[j, 0];
        for (int i = 1; i < W1.ColumnCount; i++) a += W1[j, i] * x[i - 1];
        z[j] = Math.Tanh(a);
    }
    var y = Vector<double>.Build.Dense(K);
    for (int k = 0; k < K; k++)
    {
        y[k] = W2[k, 0];
        for (int j = 1; j <= M; j++) y[k] += W2[k, j] * z[j - 1];
    }
    return y;
