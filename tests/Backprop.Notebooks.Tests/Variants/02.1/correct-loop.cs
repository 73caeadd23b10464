    var delta = Vector<double>.Build.Dense(y.Count);
    for (int k = 0; k < y.Count; k++)
        delta[k] = y[k] - t[k];
    return delta;
