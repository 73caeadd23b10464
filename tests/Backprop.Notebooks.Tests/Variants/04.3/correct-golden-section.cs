    // golden-section search for the maximum, then compare with both ends (the functions of the check are unimodal)
    double r = (Math.Sqrt(5) - 1) / 2, lo = from, hi = to;
    double c = hi - r * (hi - lo), d = lo + r * (hi - lo);
    while (hi - lo > 1e-9)
    {
        if (derivative(c) > derivative(d)) { hi = d; } else { lo = c; }
        c = hi - r * (hi - lo);
        d = lo + r * (hi - lo);
    }
    double mid = (lo + hi) / 2;
    var candidates = new[] { from, mid, to };
    double bestA = candidates.OrderByDescending(derivative).First();
    return (bestA, derivative(bestA));
