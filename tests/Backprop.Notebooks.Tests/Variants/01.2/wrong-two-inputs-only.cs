    return W[row, 0] + W[row, 1] * x[0] + W[row, 2] * x[1];   // D = 2 written out
