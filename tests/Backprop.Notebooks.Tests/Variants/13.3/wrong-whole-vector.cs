    // Classic mistake: one relative error over all weights instead of the largest per layer.
    var probe = net.Clone();
    double Ln(Vector<double> w) { probe.SetParameters(w); var e = probe.Forward(x).Output - t; return 0.5 * e.DotProduct(e); }
    var gn = NumericalGradient(Ln, net.GetParameters(), 1e-5);
    var ga = Vector<double>.Build.DenseOfEnumerable(backward(net, net.Forward(x), t).SelectMany(m => m.ToRowMajorArray()));
    double scale = Math.Max(ga.L2Norm(), gn.L2Norm());
    return scale == 0 ? 0 : (ga - gn).L2Norm() / scale;
