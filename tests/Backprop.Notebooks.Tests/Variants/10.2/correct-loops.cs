    // the sums and norms written out with loops
    double aboveSquares = 0, sumSquares = 0, deltaSquares = 0;
    for (int n = 0; n < deltaAbove.RowCount; n++)
    {
        for (int k = 0; k < deltaAbove.ColumnCount; k++) aboveSquares += deltaAbove[n, k] * deltaAbove[n, k];
        for (int j = 0; j < a.ColumnCount; j++)
        {
            double g = 0;
            for (int k = 0; k < deltaAbove.ColumnCount; k++) g += weightsAbove[k, j + 1] * deltaAbove[n, k];   // column 0 is the bias
            double delta = h.Derivative(a[n, j]) * g;
            sumSquares += g * g;
            deltaSquares += delta * delta;
        }
    }
    return (Math.Sqrt(sumSquares / aboveSquares), Math.Sqrt(deltaSquares / sumSquares));
