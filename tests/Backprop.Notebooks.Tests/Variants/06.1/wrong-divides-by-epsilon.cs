    // central difference divided by ε instead of 2ε
    var plus = w.Clone(); plus[i] += epsilon;
    var minus = w.Clone(); minus[i] -= epsilon;
    return (loss(plus) - loss(minus)) / epsilon;
