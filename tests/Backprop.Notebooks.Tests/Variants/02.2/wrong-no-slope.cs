    return W2.RemoveColumn(0).TransposeThisAndMultiply(deltaOut);   // h'(a_j) = 1 − z_j² forgotten
