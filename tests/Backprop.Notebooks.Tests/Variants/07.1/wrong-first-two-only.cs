    // classic mistake: only the first two eigenvalues are looked at
    if (eigenvalues[0] > 0 && eigenvalues[1] > 0) return "minimum";
    if (eigenvalues[0] < 0 && eigenvalues[1] < 0) return "maximum";
    return "saddle";
