    // Classic mistake: a forward difference (L(w + ε e_i) − L(w)) / ε where a central one was asked.
    var g = Vector<double>.Build.Dense(w.Count);
    double L0 = L(w);
    for (int i = 0; i < w.Count; i++)
    {
        var p = w.Clone();
        p[i] += eps;
        g[i] = (L(p) - L0) / eps;
    }
    return g;
