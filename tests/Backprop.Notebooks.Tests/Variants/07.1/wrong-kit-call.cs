    // Kit call: StationaryPoints.Classify — the kit's classification instead of the student's.
    return StationaryPoints.Classify(eigenvalues).ToString().ToLowerInvariant();
