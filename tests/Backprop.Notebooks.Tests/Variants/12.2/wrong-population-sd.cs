    double mean = values.Average();
    return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count));   // divides by n, not n − 1
