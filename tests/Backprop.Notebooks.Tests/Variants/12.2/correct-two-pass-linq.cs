    int n = values.Count;
    double mean = values.Sum() / n;
    double variance = n > 1 ? values.Select(v => Math.Pow(v - mean, 2)).Sum() / (n - 1) : 0.0;
    return (mean, Math.Sqrt(variance));
