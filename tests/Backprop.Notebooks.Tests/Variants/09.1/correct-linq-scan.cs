// KEEP
// NEXT SOLUTION
    // The same grid as a query: the point of the largest slope wins.
    return Enumerable.Range(0, 20001)
        .Select(i => -10.0 + 0.001 * i)
        .Select(a => (A: a, Slope: LogisticSlope(a)))
        .MaxBy(p => p.Slope);
