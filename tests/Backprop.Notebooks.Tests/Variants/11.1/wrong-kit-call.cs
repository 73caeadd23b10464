    // Kit call: Activation.LeakyReLU — the kit's leaky ReLU instead of the student's.
    return Activation.LeakyReLU(k).Value(a);
// NEXT SOLUTION
    return Activation.LeakyReLU(k).Derivative(a);
