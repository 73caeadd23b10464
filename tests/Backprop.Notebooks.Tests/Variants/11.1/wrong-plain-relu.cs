    return Math.Max(a, 0.0);   // forgets the slope k on the negative side
