    return a > 0 ? a : k;   // the slope instead of k·a
