    // The engine's classic slip: the second use of w overwrites the first instead of adding to it.
    double z1 = Math.Tanh(w * x), z2 = Math.Tanh(w * z1);
    double gradA2 = (z2 - t) * (1 - z2 * z2);
    double gradW = gradA2 * z1;
    double gradA1 = gradA2 * w * (1 - z1 * z1);
    gradW = gradA1 * x;
    return gradW;
