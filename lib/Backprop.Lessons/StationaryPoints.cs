using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Backprop.Lessons;

/// <summary>What kind of stationary point (∇f = 0) a point is, read off the Hessian's eigenvalues.</summary>
public enum StationaryPointKind
{
    /// <summary>Every eigenvalue of the Hessian is positive: f curves upwards in every direction.</summary>
    Minimum,

    /// <summary>Every eigenvalue is negative: f curves downwards in every direction.</summary>
    Maximum,

    /// <summary>Eigenvalues of both signs: up in some directions, down in others — not an extremum.</summary>
    Saddle,

    /// <summary>An eigenvalue is (numerically) zero: the second derivatives cannot decide.</summary>
    Degenerate,
}

/// <summary>
/// Stationary points of a function f(w) (lecture: "Neural Networks and Stationary Points" — the
/// trained weights W* are a stationary point of L(W): a minimum, a maximum or a saddle point).
/// A numerical gradient and Hessian by central differences, and the classification of a point by
/// the signs of the Hessian's eigenvalues. Lesson 07.
/// </summary>
public static class StationaryPoints
{
    /// <summary>The step ε of the central differences unless told otherwise.</summary>
    public const double DefaultStep = 1e-4;

    /// <summary>Eigenvalues with |λ| below this count as zero in <see cref="Classify(IReadOnlyList{double}, double)"/> unless told otherwise.</summary>
    public const double DefaultTolerance = 1e-6;

    /// <summary>
    /// The gradient ∇f(w) by central differences, ∂f/∂w_i ≈ [f(w + ε e_i) − f(w − ε e_i)] / 2ε
    /// (the lecture's "Verifying Correctness" formula applied to any f).
    /// </summary>
    /// <param name="f">The function.</param>
    /// <param name="w">The point.</param>
    /// <param name="epsilon">The step ε &gt; 0.</param>
    public static Vector<double> Gradient(Func<Vector<double>, double> f, Vector<double> w, double epsilon = DefaultStep)
    {
        Validate(f, w, epsilon);
        var g = Vector<double>.Build.Dense(w.Count);
        for (int i = 0; i < w.Count; i++)
        {
            g[i] = (f(Shifted(w, i, epsilon)) - f(Shifted(w, i, -epsilon))) / (2 * epsilon);
        }

        return g;
    }

    /// <summary>
    /// The Hessian H_ij = ∂²f/∂w_i∂w_j by central differences: the diagonal from
    /// [f(w + ε e_i) − 2 f(w) + f(w − ε e_i)] / ε², the off-diagonal entries from the four points
    /// w ± ε e_i ± ε e_j divided by 4ε². Symmetric by construction.
    /// </summary>
    /// <param name="f">The function.</param>
    /// <param name="w">The point.</param>
    /// <param name="epsilon">The step ε &gt; 0 (default 1e-4: the error is O(ε²) against rounding O(1e-16/ε²)).</param>
    public static Matrix<double> Hessian(Func<Vector<double>, double> f, Vector<double> w, double epsilon = DefaultStep)
    {
        Validate(f, w, epsilon);
        int n = w.Count;
        var h = Matrix<double>.Build.Dense(n, n);
        double f0 = f(w);
        for (int i = 0; i < n; i++)
        {
            h[i, i] = (f(Shifted(w, i, epsilon)) - (2 * f0) + f(Shifted(w, i, -epsilon))) / (epsilon * epsilon);
            for (int j = 0; j < i; j++)
            {
                double pp = f(Shifted(Shifted(w, i, epsilon), j, epsilon));
                double pm = f(Shifted(Shifted(w, i, epsilon), j, -epsilon));
                double mp = f(Shifted(Shifted(w, i, -epsilon), j, epsilon));
                double mm = f(Shifted(Shifted(w, i, -epsilon), j, -epsilon));
                h[i, j] = h[j, i] = (pp - pm - mp + mm) / (4 * epsilon * epsilon);
            }
        }

        return h;
    }

    /// <summary>The Hessian of a function of two variables f(x, y) at (x, y); see <see cref="Hessian(Func{Vector{double}, double}, Vector{double}, double)"/>.</summary>
    public static Matrix<double> Hessian(Func<double, double, double> f, double x, double y, double epsilon = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Hessian(w => f(w[0], w[1]), Vector<double>.Build.Dense([x, y]), epsilon);
    }

    /// <summary>
    /// The eigenvalues of a symmetric Hessian, smallest first, by MathNet's eigenvalue decomposition
    /// (<see cref="Matrix{T}.Evd(Symmetricity)"/>). A symmetric matrix has real eigenvalues.
    /// </summary>
    /// <exception cref="ArgumentException">The matrix is not square, not finite or not symmetric.</exception>
    public static double[] Eigenvalues(Matrix<double> hessian)
    {
        ArgumentNullException.ThrowIfNull(hessian);
        if (hessian.RowCount != hessian.ColumnCount || hessian.RowCount == 0)
        {
            throw new ArgumentException($"hessian must be a non-empty square matrix, but it is {hessian.RowCount} × {hessian.ColumnCount}.", nameof(hessian));
        }

        double scale = Math.Max(1.0, hessian.Enumerate().Select(Math.Abs).Max());
        for (int i = 0; i < hessian.RowCount; i++)
        {
            for (int j = 0; j < hessian.ColumnCount; j++)
            {
                if (!double.IsFinite(hessian[i, j]))
                {
                    throw new ArgumentException($"hessian[{i}, {j}] is {Arguments.Describe(hessian[i, j])}; every entry must be a finite number.", nameof(hessian));
                }

                if (Math.Abs(hessian[i, j] - hessian[j, i]) > 1e-8 * scale)
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"hessian must be symmetric, but hessian[{i}, {j}] = {hessian[i, j]:G6} and hessian[{j}, {i}] = {hessian[j, i]:G6}."),
                        nameof(hessian));
                }
            }
        }

        Evd<double> evd = hessian.Evd(Symmetricity.Symmetric);
        double[] values = [.. evd.EigenValues.Select(lambda => lambda.Real)];
        Array.Sort(values);
        return values;
    }

    /// <summary>
    /// Classifies a stationary point by the eigenvalues λ_i of its Hessian: all λ_i &gt; 0 a minimum,
    /// all λ_i &lt; 0 a maximum, both signs a saddle, any |λ_i| ≤ tolerance degenerate.
    /// </summary>
    /// <param name="eigenvalues">The Hessian's eigenvalues (at least one).</param>
    /// <param name="tolerance">|λ| at or below this counts as zero, ≥ 0.</param>
    public static StationaryPointKind Classify(IReadOnlyList<double> eigenvalues, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(eigenvalues);
        if (eigenvalues.Count == 0)
        {
            throw new ArgumentException("eigenvalues must have at least one entry, but it is empty.", nameof(eigenvalues));
        }

        if (!(tolerance >= 0 && double.IsFinite(tolerance)))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, $"tolerance must be a finite number ≥ 0, but it is {Arguments.Describe(tolerance)}.");
        }

        for (int i = 0; i < eigenvalues.Count; i++)
        {
            if (!double.IsFinite(eigenvalues[i]))
            {
                throw new ArgumentException($"eigenvalues[{i}] is {Arguments.Describe(eigenvalues[i])}; every eigenvalue must be a finite number.", nameof(eigenvalues));
            }
        }

        if (eigenvalues.Any(lambda => Math.Abs(lambda) <= tolerance))
        {
            return StationaryPointKind.Degenerate;
        }

        bool up = eigenvalues.Any(lambda => lambda > 0);
        bool down = eigenvalues.Any(lambda => lambda < 0);
        return up && down ? StationaryPointKind.Saddle : up ? StationaryPointKind.Minimum : StationaryPointKind.Maximum;
    }

    /// <summary>Classifies the point (x, y) of f(x, y) by the eigenvalues of its numerical Hessian.</summary>
    public static StationaryPointKind Classify(Func<double, double, double> f, double x, double y, double tolerance = DefaultTolerance) =>
        Classify(Eigenvalues(Hessian(f, x, y)), tolerance);

    private static Vector<double> Shifted(Vector<double> w, int i, double by)
    {
        Vector<double> shifted = w.Clone();
        shifted[i] += by;
        return shifted;
    }

    private static void Validate(Func<Vector<double>, double> f, Vector<double> w, double epsilon)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(w);
        if (w.Count == 0)
        {
            throw new ArgumentException("w must have at least one entry, but it is empty.", nameof(w));
        }

        Arguments.Finite(w, nameof(w));
        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"epsilon must be a finite number > 0, but it is {Arguments.Describe(epsilon)}.");
        }
    }
}
