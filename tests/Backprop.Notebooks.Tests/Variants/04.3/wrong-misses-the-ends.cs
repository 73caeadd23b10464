    // a grid that leaves out both ends of the interval
    double bestA = double.NaN, bestSlope = double.NegativeInfinity;
    for (double a = from + 0.05; a < to - 0.05; a += 1e-3)
    {
        if (derivative(a) > bestSlope) { bestA = a; bestSlope = derivative(a); }
    }
    return (bestA, bestSlope);
