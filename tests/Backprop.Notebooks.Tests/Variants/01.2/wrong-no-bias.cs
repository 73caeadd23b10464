    double sum = 0;
    for (int i = 1; i <= x.Count; i++)
        sum += W[row, i] * x[i - 1];   // the bias w_j0 · x_0 forgotten
    return sum;
