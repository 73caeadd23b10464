    // Backward node by node with a running sum for w, as an engine would.
    double a1 = w * x, z1 = Math.Tanh(a1), a2 = w * z1, z2 = Math.Tanh(a2);
    double gradW = 0;
    double gradZ2 = z2 - t;
    double gradA2 = gradZ2 * (1 - Math.Tanh(a2) * Math.Tanh(a2));
    gradW += gradA2 * z1;                     // first use of w (in a₂)
    double gradZ1 = gradA2 * w;
    double gradA1 = gradZ1 * (1 - z1 * z1);
    gradW += gradA1 * x;                      // second use of w (in a₁)
    return gradW;
