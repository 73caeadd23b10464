    // least squares on the raw numbers, not on their logarithms
    double ub = xs.Average(), vb = ys.Average();
    return xs.Zip(ys, (a, b) => (a - ub) * (b - vb)).Sum() / xs.Sum(a => (a - ub) * (a - ub));
