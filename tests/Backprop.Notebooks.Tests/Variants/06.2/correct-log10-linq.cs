    // base-10 logarithms give the same slope; covariance over variance with LINQ
    var u = xs.Select(Math.Log10).ToArray();
    var v = ys.Select(Math.Log10).ToArray();
    double ub = u.Average(), vb = v.Average();
    return u.Zip(v, (a, b) => (a - ub) * (b - vb)).Sum() / u.Sum(a => (a - ub) * (a - ub));
