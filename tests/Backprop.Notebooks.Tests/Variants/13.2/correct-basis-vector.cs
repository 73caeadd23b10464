    // w ± ε e_i with an explicit unit vector e_i.
    var g = Vector<double>.Build.Dense(w.Count);
    for (int i = 0; i < w.Count; i++)
    {
        var e = Vector<double>.Build.Dense(w.Count);
        e[i] = eps;
        g[i] = 0.5 * (L(w + e) - L(w - e)) / eps;
    }
    return g;
