    // Kit call: PowerLaw.FitSlope — the kit's least-squares fit in log-log instead of the student's.
    return PowerLaw.FitSlope(xs, ys);
