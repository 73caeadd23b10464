    // Two fresh copies per weight, built with LINQ.
    return Vector<double>.Build.DenseOfEnumerable(Enumerable.Range(0, w.Count).Select(i =>
    {
        var up = w.Clone();
        var down = w.Clone();
        up[i] += eps;
        down[i] -= eps;
        return L(up) / (2 * eps) - L(down) / (2 * eps);
    }));
