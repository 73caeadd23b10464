    return Math.Max(a, 0.0) + k * Math.Min(a, 0.0);
