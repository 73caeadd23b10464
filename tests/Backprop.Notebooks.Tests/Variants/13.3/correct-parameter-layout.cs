    // Uses the kit's parameter layout for the blocks and writes the norms as explicit sums.
    var copy = net.Clone();
    var numeric = NumericalGradient(w =>
    {
        copy.SetParameters(w);
        var y = copy.Forward(x).Output;
        double s = 0;
        for (int k = 0; k < y.Count; k++) s += 0.5 * (y[k] - t[k]) * (y[k] - t[k]);
        return s;
    }, net.GetParameters(), 1e-5);
    var analytic = backward(net, net.Forward(x), t);
    var errors = new List<double>();
    for (int l = 0; l < net.Layers.Count; l++)
    {
        var block = net.ParameterLayout[l];
        double diff = 0, na = 0, nn = 0;
        for (int r = 0; r < block.Rows; r++)
            for (int c = 0; c < block.Columns; c++)
            {
                double a = analytic[l][r, c], n = numeric[block.Offset + r * block.Columns + c];
                diff += (a - n) * (a - n); na += a * a; nn += n * n;
            }
        double denominator = Math.Sqrt(Math.Max(na, nn));
        errors.Add(denominator == 0 ? 0 : Math.Sqrt(diff) / denominator);
    }
    return errors.Max();
