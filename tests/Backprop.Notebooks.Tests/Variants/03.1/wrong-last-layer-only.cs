    // Treats z₁ as a constant: only the use of w in a₂ (lesson 02's δ × input for the last layer).
    double z1 = Math.Tanh(w * x), z2 = Math.Tanh(w * z1);
    return (z2 - t) * (1 - z2 * z2) * z1;
