    // Flattens the analytic gradient first, then splits both vectors by the sizes of the weight matrices.
    var analytic = backward(net, net.Forward(x), t);
    var flat = Vector<double>.Build.DenseOfEnumerable(analytic.SelectMany(m => m.ToRowMajorArray()));
    var clone = net.Clone();
    var numeric = NumericalGradient(p => { clone.SetParameters(p); return 0.5 * Math.Pow((clone.Forward(x).Output - t).L2Norm(), 2); }, net.GetParameters(), 1e-5);
    int start = 0;
    return analytic.Max(m =>
    {
        int count = m.RowCount * m.ColumnCount;
        var ga = flat.SubVector(start, count);
        var gn = numeric.SubVector(start, count);
        start += count;
        double top = Math.Max(ga.L2Norm(), gn.L2Norm());
        return top == 0 ? 0.0 : (ga - gn).L2Norm() / top;
    });
