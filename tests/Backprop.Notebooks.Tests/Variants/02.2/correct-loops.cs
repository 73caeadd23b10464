    var delta = Vector<double>.Build.Dense(z.Count);
    for (int j = 1; j <= z.Count; j++)
    {
        double collected = 0;
        for (int k = 0; k < deltaOut.Count; k++) collected += W2[k, j] * deltaOut[k];
        delta[j - 1] = (1 - z[j - 1] * z[j - 1]) * collected;
    }
    return delta;
