// KEEP
// NEXT SOLUTION
    // Keeps the a where σ itself is largest (the right end of the grid), not where its slope is.
    var best = (A: -10.0, Slope: LogisticSlope(-10.0));
    for (int i = 1; i <= 20000; i++)
    {
        double a = -10.0 + 0.001 * i;
        if (1.0 / (1.0 + Math.Exp(-a)) > 1.0 / (1.0 + Math.Exp(-best.A))) best = (a, LogisticSlope(a));
    }
    return best;
