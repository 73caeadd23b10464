// KEEP
// NEXT SOLUTION
    // Public check passes: only the hidden checks ask for the exact derivative (to 1e-12); this central difference agrees to about 1e-10
    // the Jacobian by the student's own central differences instead of the derivative
    return Matrix<double>.Build.Dense(a.Count, a.Count, (k, j) =>
    {
        var up = a.Clone(); up[j] += 1e-5;
        var down = a.Clone(); down[j] -= 1e-5;
        return (Softmax(up)[k] - Softmax(down)[k]) / 2e-5;
    });
