    // Classic mistake: perturbs w itself and never puts the entry back.
    var g = Vector<double>.Build.Dense(w.Count);
    for (int i = 0; i < w.Count; i++)
    {
        w[i] += eps;
        double plus = L(w);
        w[i] -= 2 * eps;
        double minus = L(w);
        g[i] = (plus - minus) / (2 * eps);
    }
    return g;
