    // classic mistake: minimum and maximum swapped (positive curvature read as a peak)
    if (eigenvalues.All(lambda => lambda > 0)) return "maximum";
    if (eigenvalues.All(lambda => lambda < 0)) return "minimum";
    return "saddle";
