    return Vector<double>.Build.Dense(x.Count + 1, i => i == x.Count ? 1.0 : x[i]);   // the 1 at the end instead of in front
