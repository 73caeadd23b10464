    // Classic mistake: ignores the step it is given and always uses 1e-5.
    var g = Vector<double>.Build.Dense(w.Count);
    for (int i = 0; i < w.Count; i++)
    {
        var up = w.Clone(); up[i] += 1e-5;
        var down = w.Clone(); down[i] -= 1e-5;
        g[i] = (L(up) - L(down)) / 2e-5;
    }
    return g;
