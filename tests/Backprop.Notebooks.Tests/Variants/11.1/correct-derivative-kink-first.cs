// KEEP
// NEXT SOLUTION
    if (a <= 0) return k;   // the lecture puts a = 0 on the k side
    return 1.0;
