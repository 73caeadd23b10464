    return D * M + M * K;   // the biases forgotten
