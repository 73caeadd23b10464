    return t - y;   // target minus output: the sign flipped
