    int dead = 0;
    for (int j = 0; j < A.ColumnCount; j++)
        if (A[0, j] <= 0) dead++;   // looks only at the first sample
    return dead;
