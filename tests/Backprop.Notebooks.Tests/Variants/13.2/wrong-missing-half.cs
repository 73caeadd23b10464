    // Classic mistake: divided by ε instead of 2ε.
    var g = Vector<double>.Build.Dense(w.Count);
    for (int i = 0; i < w.Count; i++)
    {
        var up = w.Clone(); up[i] += eps;
        var down = w.Clone(); down[i] -= eps;
        g[i] = (L(up) - L(down)) / eps;
    }
    return g;
