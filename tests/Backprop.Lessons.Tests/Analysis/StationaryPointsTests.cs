using MathNet.Numerics.LinearAlgebra;

using Backprop.Tests;

namespace Backprop.Lessons.Tests;

public sealed class StationaryPointsTests
{
    private static Vector<double> V(params double[] values) => Vector<double>.Build.Dense(values);

    [Theory]
    [InlineData("bowl", StationaryPointKind.Minimum)]
    [InlineData("cap", StationaryPointKind.Maximum)]
    [InlineData("saddle", StationaryPointKind.Saddle)]
    [InlineData("quartic", StationaryPointKind.Degenerate)]
    public void Classifies_the_textbook_stationary_points_at_the_origin(string name, StationaryPointKind expected)
    {
        Func<double, double, double> f = name switch
        {
            "bowl" => (x, y) => (x * x) + (y * y),
            "cap" => (x, y) => -(x * x) - (y * y),
            "saddle" => (x, y) => (x * x) - (y * y),
            _ => (x, y) => (x * x * x * x) + (y * y), // h_xx = 12x² = 0 at the origin
        };

        Assert.Equal(expected, StationaryPoints.Classify(f, 0, 0));
    }

    [Fact]
    public void Classifies_the_Rosenbrock_minimum_away_from_the_origin()
    {
        static double Rosenbrock(double x, double y) => Math.Pow(1 - x, 2) + (100 * Math.Pow(y - (x * x), 2));
        Assert.Equal(StationaryPointKind.Minimum, StationaryPoints.Classify(Rosenbrock, 1, 1));
        // Central differences are off by ε²/6 · ∂³f/∂x³ = 1e-8/6 · 2400 ≈ 4e-6 here; away from the minimum ‖∇f‖ is O(1).
        Assert.True(StationaryPoints.Gradient(w => Rosenbrock(w[0], w[1]), V(1, 1)).L2Norm() < 1e-5);
        Assert.True(StationaryPoints.Gradient(w => Rosenbrock(w[0], w[1]), V(0.9, 0.9)).L2Norm() > 1);
    }

    [Fact]
    public void Gradient_matches_the_analytic_gradient()
    {
        // f = x² + 3xy + sin(y): ∇f = (2x + 3y, 3x + cos y).
        Vector<double> g = StationaryPoints.Gradient(w => (w[0] * w[0]) + (3 * w[0] * w[1]) + Math.Sin(w[1]), V(1.0, 2.0));
        Assert.Equal(2 + 6, g[0], 1e-8);
        Assert.Equal(3 + Math.Cos(2.0), g[1], 1e-8);
    }

    [Fact]
    public void Hessian_matches_the_analytic_Hessian_of_a_non_quadratic_function()
    {
        // f = x³ + x y² + e^y: H = [[6x, 2y], [2y, 2x + e^y]].
        double x = 0.7, y = -0.4;
        Matrix<double> h = StationaryPoints.Hessian((a, b) => (a * a * a) + (a * b * b) + Math.Exp(b), x, y);
        Assert.Equal(6 * x, h[0, 0], 1e-6);
        Assert.Equal(2 * y, h[0, 1], 1e-6);
        Assert.Equal(2 * y, h[1, 0], 1e-6);
        Assert.Equal((2 * x) + Math.Exp(y), h[1, 1], 1e-6);
        Assert.Equal(h[0, 1], h[1, 0]); // symmetric by construction
    }

    [Fact]
    public void The_Hessian_of_a_quadratic_form_is_its_matrix_and_the_eigenvalues_are_exact()
    {
        // f = ½ wᵀ A w with A symmetric: H = A. For A = [[2, 3], [3, 4]] the eigenvalues are 3 ∓ √10.
        Matrix<double> a = Matrix<double>.Build.DenseOfArray(new[,] { { 2.0, 3.0, 0.5 }, { 3.0, 4.0, -1.0 }, { 0.5, -1.0, 1.0 } });
        Matrix<double> h = StationaryPoints.Hessian(w => 0.5 * (w * (a * w)), V(0.3, -0.2, 0.1));
        Assert.True((h - a).Enumerate().All(d => Math.Abs(d) < 1e-6), $"H = {h}");

        double[] lambda = StationaryPoints.Eigenvalues(Matrix<double>.Build.DenseOfArray(new[,] { { 2.0, 3.0 }, { 3.0, 4.0 } }));
        Assert.Equal(3 - Math.Sqrt(10), lambda[0], 1e-12);
        Assert.Equal(3 + Math.Sqrt(10), lambda[1], 1e-12);
        Assert.Equal(StationaryPointKind.Saddle, StationaryPoints.Classify(lambda));
    }

    [Fact]
    public void Eigenvalues_are_sorted_smallest_first()
    {
        double[] lambda = StationaryPoints.Eigenvalues(Matrix<double>.Build.DiagonalOfDiagonalArray([5.0, -2.0, 1.0]));
        Assert.Equal([-2.0, 1.0, 5.0], lambda);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0 }, StationaryPointKind.Minimum)]
    [InlineData(new[] { -1.0, -2.0 }, StationaryPointKind.Maximum)]
    [InlineData(new[] { -1.0, 2.0 }, StationaryPointKind.Saddle)]
    [InlineData(new[] { 1e-7, 2.0 }, StationaryPointKind.Degenerate)]
    [InlineData(new[] { -1.0, 1e-6 }, StationaryPointKind.Degenerate)]
    [InlineData(new[] { 3.0 }, StationaryPointKind.Minimum)]
    public void Classify_reads_the_signs_of_the_eigenvalues(double[] eigenvalues, StationaryPointKind expected)
    {
        Assert.Equal(expected, StationaryPoints.Classify(eigenvalues));
    }

    [Fact]
    public void The_tolerance_decides_what_counts_as_zero()
    {
        Assert.Equal(StationaryPointKind.Minimum, StationaryPoints.Classify([1e-3, 1.0], tolerance: 1e-4));
        Assert.Equal(StationaryPointKind.Degenerate, StationaryPoints.Classify([1e-3, 1.0], tolerance: 1e-2));
        Assert.Equal(StationaryPointKind.Degenerate, StationaryPoints.Classify([0.0, 1.0], tolerance: 0.0));
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_message_naming_the_argument()
    {
        TestSupport.AssertThrows<ArgumentException>(() => StationaryPoints.Classify([]), "eigenvalues", "empty");
        TestSupport.AssertThrows<ArgumentException>(() => StationaryPoints.Classify([1.0, double.NaN]), "eigenvalues[1]");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => StationaryPoints.Classify([1.0], -1.0), "tolerance");
        TestSupport.AssertThrows<ArgumentException>(() => StationaryPoints.Eigenvalues(Matrix<double>.Build.Dense(2, 3)), "hessian", "2 × 3");
        TestSupport.AssertThrows<ArgumentException>(
            () => StationaryPoints.Eigenvalues(Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, 2.0 }, { 0.0, 1.0 } })), "symmetric", "hessian[0, 1] = 2");
        TestSupport.AssertThrows<ArgumentException>(
            () => StationaryPoints.Eigenvalues(Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, double.PositiveInfinity }, { 0.0, 1.0 } })), "hessian[0, 1]", "finite");
        TestSupport.AssertThrows<ArgumentException>(() => StationaryPoints.Gradient(w => w[0], Vector<double>.Build.Dense(0)), "w", "empty");
        TestSupport.AssertArgumentException(() => StationaryPoints.Gradient(w => w[0], V(double.NaN)), "w");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => StationaryPoints.Hessian(w => w[0], V(1.0), 0.0), "epsilon", "> 0");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => StationaryPoints.Gradient(w => w[0], V(1.0), double.NaN), "epsilon");
    }
}
