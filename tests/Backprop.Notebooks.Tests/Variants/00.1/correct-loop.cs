    var withBias = Vector<double>.Build.Dense(x.Count + 1);
    withBias[0] = 1.0;
    for (int i = 0; i < x.Count; i++)
        withBias[i + 1] = x[i];
    return withBias;
