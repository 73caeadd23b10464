    // Kit call: Activation.Elu — the kit's ELU instead of the student's.
    return Activation.Elu(k).Value(a);
// NEXT SOLUTION
    return Activation.Elu(k).Derivative(a);
