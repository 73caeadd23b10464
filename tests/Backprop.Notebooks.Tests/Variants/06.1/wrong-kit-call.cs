    // Kit call: GradientChecker.Derivative — the kit's central difference instead of the student's.
    return GradientChecker.Derivative(loss, w, i, epsilon);
