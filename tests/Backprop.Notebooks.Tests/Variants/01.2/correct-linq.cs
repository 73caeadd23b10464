    return W[row, 0] + Enumerable.Range(1, x.Count).Sum(i => W[row, i] * x[i - 1]);
