    // Classic mistake: sets the perturbed weights on the network itself, which is left changed.
    var probe = net;
    double Ln(Vector<double> w)
    {
        probe.SetParameters(w);
        var e = probe.Forward(x).Output - t;
        return 0.5 * e.DotProduct(e);
    }
    var numeric = NumericalGradient(Ln, net.GetParameters(), 1e-5);
    var analytic = backward(net, net.Forward(x), t);
    double worst = 0;
    int offset = 0;
    foreach (var block in analytic)
    {
        var ga = Vector<double>.Build.DenseOfArray(block.ToRowMajorArray());
        var gn = numeric.SubVector(offset, ga.Count);
        offset += ga.Count;
        double scale = Math.Max(ga.L2Norm(), gn.L2Norm());
        if (scale > 0) worst = Math.Max(worst, (ga - gn).L2Norm() / scale);
    }
    return worst;
