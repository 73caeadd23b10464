    // Kit call: Activation.Derivative — the kit's σ'(a) instead of σ(a)(1 − σ(a)) computed by the student.
    return Activation.Logistic.Derivative(a);
