    if (kind == ActivationKind.Tanh) return (1 - y) * (1 + y);
    if (kind == ActivationKind.Logistic) return y - y * y;
    throw new ArgumentOutOfRangeException(nameof(kind));
