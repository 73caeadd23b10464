    double ratio = 1.0;
    for (int step = 1; step < H; step++)   // H hidden layers are H − 1 steps apart
        ratio /= 4.0;
    return ratio;
