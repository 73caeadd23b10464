    double mean = values.Average();
    return (mean, values.Count > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) : 0.0);   // forgets the square root
