    if (a <= 0)
        return k * double.ExpM1(a);   // e^a − 1 without cancellation
    return a;
