    // d/dw of ½(tanh(w·tanh(w·x)) − t)² written as one formula: the product rule on w·z₁(w) gives both uses of w.
    double z1 = Math.Tanh(w * x), z2 = Math.Tanh(w * z1);
    double dz1dw = (1 - z1 * z1) * x;
    return (z2 - t) * (1 - z2 * z2) * (z1 + w * dz1dw);
