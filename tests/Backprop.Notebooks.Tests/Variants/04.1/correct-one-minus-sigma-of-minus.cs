    // 2σ(2a) − 1 = 1 − 2σ(−2a): a different but equal right-hand side
    double worst = 0;
    for (int n = 0; n < grid.Length; n++)
    {
        double d = Math.Tanh(grid[n]) - (1 - 2 * Activation.Logistic.Value(-2 * grid[n]));
        if (Math.Abs(d) > worst) worst = Math.Abs(d);
    }
    return worst;
