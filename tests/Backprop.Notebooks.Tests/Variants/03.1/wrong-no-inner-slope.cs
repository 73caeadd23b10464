    // Forgets the local gradient of the first tanh, 1 − z₁².
    double z1 = Math.Tanh(w * x), z2 = Math.Tanh(w * z1);
    double gradA2 = (z2 - t) * (1 - z2 * z2);
    return gradA2 * z1 + gradA2 * w * x;
