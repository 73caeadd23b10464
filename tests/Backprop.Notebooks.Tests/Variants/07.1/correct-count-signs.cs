    int positive = 0, negative = 0;
    foreach (var lambda in eigenvalues)
    {
        if (lambda > 0) positive++;
        else if (lambda < 0) negative++;
    }
    if (positive == eigenvalues.Count) return "minimum";
    if (negative == eigenvalues.Count) return "maximum";
    return "saddle";
