using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests;

/// <summary>
/// The lecture's "simple example" worked by hand: a 2-3-2 network, tanh hidden units, linear
/// outputs y_k = a_k and L = ½ Σ_k (y_k − t_k)². Every number the kit produces — a, z, y, L, every
/// δ and every ∂L/∂w — is compared with the same number derived here from the lecture's formulas,
/// written out term by term (no call into the kit), and with its decimal value computed
/// independently to 30 digits.
/// </summary>
public sealed class WorkedExampleTests
{
    private const double Tolerance = 1e-12;

    // Input x = (x_1, x_2) = (0.5, −1), with x_0 = 1 for the bias; target t = (0.3, −0.2).
    private const double X1 = 0.5, X2 = -1.0, T1 = 0.3, T2 = -0.2;

    // Hand-computed values, shown step by step.
    //
    // Layer 1 (w⁽¹⁾, rows j = 1..3, columns i = 0 (bias), 1, 2):
    //   w⁽¹⁾ = [  0.1   0.2  −0.3 ]
    //          [ −0.2   0.4   0.1 ]
    //          [  0.05 −0.1   0.3 ]
    // a_j = w_j0 + w_j1 x_1 + w_j2 x_2
    //   a_1 =  0.1  + 0.2 · 0.5 + (−0.3)(−1) =  0.1 + 0.1 + 0.3  =  0.5
    //   a_2 = −0.2  + 0.4 · 0.5 +   0.1 (−1) = −0.2 + 0.2 − 0.1  = −0.1
    //   a_3 =  0.05 − 0.1 · 0.5 +   0.3 (−1) = 0.05 − 0.05 − 0.3 = −0.3
    private static readonly double A1 = 0.1 + (0.2 * X1) + (-0.3 * X2);
    private static readonly double A2 = -0.2 + (0.4 * X1) + (0.1 * X2);
    private static readonly double A3 = 0.05 + (-0.1 * X1) + (0.3 * X2);

    // z_j = tanh(a_j):
    //   z_1 = tanh(0.5)  =  0.46211715726000975850
    //   z_2 = tanh(−0.1) = −0.09966799462495581712
    //   z_3 = tanh(−0.3) = −0.29131261245159090582
    private static readonly double Z1 = Math.Tanh(A1), Z2 = Math.Tanh(A2), Z3 = Math.Tanh(A3);

    // Layer 2 (w⁽²⁾, rows k = 1, 2, columns j = 0 (bias), 1, 2, 3):
    //   w⁽²⁾ = [  0.2   0.5  −0.4   0.3 ]
    //          [ −0.1  −0.3   0.2   0.6 ]
    // y_k = a_k = w_k0 + Σ_j w_kj z_j (linear outputs)
    //   y_1 =  0.2 + 0.5 z_1 − 0.4 z_2 + 0.3 z_3 =  0.38353199274450993435
    //   y_2 = −0.1 − 0.3 z_1 + 0.2 z_2 + 0.6 z_3 = −0.43335631357394863447
    private static readonly double Y1 = 0.2 + (0.5 * Z1) + (-0.4 * Z2) + (0.3 * Z3);
    private static readonly double Y2 = -0.1 + (-0.3 * Z1) + (0.2 * Z2) + (0.6 * Z3);

    // δ_k = y_k − t_k:
    //   δ_1 = 0.38353… − 0.3    =  0.08353199274450993435
    //   δ_2 = −0.43335… + 0.2   = −0.23335631357394863447
    private static readonly double D1 = Y1 - T1, D2 = Y2 - T2;

    // L = ½(δ_1² + δ_2²) = ½(0.0069776… + 0.0544551…) = 0.030716381448345952012
    private static readonly double L = 0.5 * ((D1 * D1) + (D2 * D2));

    // δ_j = (1 − z_j²) Σ_k w_kj δ_k:
    //   δ_1 = (1 − z_1²)( 0.5 δ_1 − 0.3 δ_2) =  0.08790353629707846061
    //   δ_2 = (1 − z_2²)(−0.4 δ_1 + 0.2 δ_2) = −0.07928852805465915836
    //   δ_3 = (1 − z_3²)( 0.3 δ_1 + 0.6 δ_2) = −0.10519882847961487078
    private static readonly double H1 = (1.0 - (Z1 * Z1)) * ((0.5 * D1) + (-0.3 * D2));
    private static readonly double H2 = (1.0 - (Z2 * Z2)) * ((-0.4 * D1) + (0.2 * D2));
    private static readonly double H3 = (1.0 - (Z3 * Z3)) * ((0.3 * D1) + (0.6 * D2));

    private static Mlp Network()
    {
        var net = new Mlp([2, 3, 2], Activation.Tanh, Activation.Identity, seed: 12345);
        net.Layers[0].SetWeights(Matrix<double>.Build.DenseOfArray(new[,]
        {
            { 0.1, 0.2, -0.3 },
            { -0.2, 0.4, 0.1 },
            { 0.05, -0.1, 0.3 },
        }));
        net.Layers[1].SetWeights(Matrix<double>.Build.DenseOfArray(new[,]
        {
            { 0.2, 0.5, -0.4, 0.3 },
            { -0.1, -0.3, 0.2, 0.6 },
        }));
        return net;
    }

    private static Vector<double> Input => Vector<double>.Build.DenseOfArray([X1, X2]);

    private static Vector<double> Target => Vector<double>.Build.DenseOfArray([T1, T2]);

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, FormattableString.Invariant($"{what}: expected {expected:R}, got {actual:R}"));

    [Fact]
    public void HandFormulasMatchTheThirtyDigitValues()
    {
        // The formulas above against their decimal values (computed independently in 30-digit arithmetic).
        Close(0.5, A1, "a_1");
        Close(-0.1, A2, "a_2");
        Close(-0.3, A3, "a_3");
        Close(0.46211715726000975850, Z1, "z_1");
        Close(-0.09966799462495581712, Z2, "z_2");
        Close(-0.29131261245159090582, Z3, "z_3");
        Close(0.38353199274450993435, Y1, "y_1");
        Close(-0.43335631357394863447, Y2, "y_2");
        Close(0.030716381448345952012, L, "L");
        Close(0.08790353629707846061, H1, "δ_1 (hidden)");
        Close(-0.07928852805465915836, H2, "δ_2 (hidden)");
        Close(-0.10519882847961487078, H3, "δ_3 (hidden)");
    }

    [Fact]
    public void ForwardPassStoresEveryActivationAndOutput()
    {
        ForwardPass pass = Network().Forward(Input);

        Assert.Equal(2, pass.LayerCount);
        Assert.Equal(3, pass.LayerCount + 1);
        Close(X1, pass.Z(0)[0], "z⁽⁰⁾_1 = x_1");
        Close(X2, pass.Z(0)[1], "z⁽⁰⁾_2 = x_2");
        Close(A1, pass.A(1)[0], "a_1");
        Close(A2, pass.A(1)[1], "a_2");
        Close(A3, pass.A(1)[2], "a_3");
        Close(Z1, pass.Z(1)[0], "z_1");
        Close(Z2, pass.Z(1)[1], "z_2");
        Close(Z3, pass.Z(1)[2], "z_3");
        Close(Y1, pass.A(2)[0], "a_1 of the output layer");
        Close(Y2, pass.A(2)[1], "a_2 of the output layer");
        Close(Y1, pass.Output[0], "y_1");
        Close(Y2, pass.Output[1], "y_2");
        Assert.Same(pass.Z(0), pass.Input);
        Assert.Same(pass.Z(2), pass.Output);
    }

    [Fact]
    public void BackwardPassGivesEveryDeltaAndEveryGradientEntry()
    {
        Mlp net = Network();
        Gradients g = net.Backward(net.Forward(Input), Target, Loss.HalfSumOfSquares);

        Close(L, g.Loss, "L");

        // Output deltas δ_k = y_k − t_k and hidden deltas δ_j = (1 − z_j²) Σ_k w_kj δ_k.
        Close(D1, g.Delta(2)[0], "δ_1 (output)");
        Close(D2, g.Delta(2)[1], "δ_2 (output)");
        Close(H1, g.Delta(1)[0], "δ_1 (hidden)");
        Close(H2, g.Delta(1)[1], "δ_2 (hidden)");
        Close(H3, g.Delta(1)[2], "δ_3 (hidden)");

        // ∂L/∂w⁽²⁾_kj = δ_k z_j with z_0 = 1:
        //   row 1: δ_1 · (1, z_1, z_2, z_3) = (0.0835320, 0.0386016, −0.0083255, −0.0243339)
        //   row 2: δ_2 · (1, z_1, z_2, z_3) = (−0.2333563, −0.1078380, 0.0232582, 0.0679796)
        double[,] expected2 =
        {
            { D1, D1 * Z1, D1 * Z2, D1 * Z3 },
            { D2, D2 * Z1, D2 * Z2, D2 * Z3 },
        };
        double[,] decimal2 =
        {
            { 0.08353199274450993435, 0.03860156702735669148, -0.00832546620387166445, -0.02433392302969052590 },
            { -0.23335631357394863447, -0.10783795625746857096, 0.02325815580698781669, 0.06797963733929962089 },
        };

        // ∂L/∂w⁽¹⁾_ji = δ_j x_i with x_0 = 1:
        //   row 1: δ_1 · (1, 0.5, −1) = (0.0879035, 0.0439518, −0.0879035)
        //   row 2: δ_2 · (1, 0.5, −1) = (−0.0792885, −0.0396443, 0.0792885)
        //   row 3: δ_3 · (1, 0.5, −1) = (−0.1051988, −0.0525994, 0.1051988)
        double[,] expected1 =
        {
            { H1, H1 * X1, H1 * X2 },
            { H2, H2 * X1, H2 * X2 },
            { H3, H3 * X1, H3 * X2 },
        };
        double[,] decimal1 =
        {
            { 0.08790353629707846061, 0.04395176814853923031, -0.08790353629707846061 },
            { -0.07928852805465915836, -0.03964426402732957918, 0.07928852805465915836 },
            { -0.10519882847961487078, -0.05259941423980743539, 0.10519882847961487078 },
        };

        AssertMatrix(expected1, decimal1, g.WeightGradient(1), "∂L/∂w⁽¹⁾");
        AssertMatrix(expected2, decimal2, g.WeightGradient(2), "∂L/∂w⁽²⁾");

        // The flat gradient lists the same numbers in parameter order: w⁽¹⁾ row by row, then w⁽²⁾ row by row.
        double[] flat = [.. Flatten(expected1), .. Flatten(expected2)];
        Vector<double> vector = g.ToVector();
        Assert.Equal(9 + 8, vector.Count);
        for (int p = 0; p < flat.Length; p++)
        {
            Close(flat[p], vector[p], $"gradient entry {p}");
        }

        // And the batched path on the one-sample batch says the same.
        (double loss, Vector<double> batched) = net.LossAndGradient(
            Matrix<double>.Build.DenseOfRowVectors(Input), Matrix<double>.Build.DenseOfRowVectors(Target), Loss.HalfSumOfSquares);
        Close(L, loss, "L (batched)");
        for (int p = 0; p < flat.Length; p++)
        {
            Close(flat[p], batched[p], $"batched gradient entry {p}");
        }
    }

    [Fact]
    public void TwoCopiesOfTheSampleDoubleLossAndGradient()
    {
        // L = Σ_n L_n: the same sample twice gives exactly twice the hand-computed numbers.
        Mlp net = Network();
        Matrix<double> x = Matrix<double>.Build.DenseOfRowVectors(Input, Input);
        Matrix<double> t = Matrix<double>.Build.DenseOfRowVectors(Target, Target);
        (double loss, Vector<double> gradient) = net.LossAndGradient(x, t, Loss.HalfSumOfSquares);
        Close(2.0 * L, loss, "L over two copies");
        Close(2.0 * H3 * X2, gradient[8], "∂L/∂w⁽¹⁾_32 over two copies");
        Close(2.0 * D2 * Z3, gradient[9 + 7], "∂L/∂w⁽²⁾_23 over two copies");
    }

    private static void AssertMatrix(double[,] formula, double[,] decimals, Matrix<double> actual, string what)
    {
        Assert.Equal(formula.GetLength(0), actual.RowCount);
        Assert.Equal(formula.GetLength(1), actual.ColumnCount);
        for (int r = 0; r < actual.RowCount; r++)
        {
            for (int c = 0; c < actual.ColumnCount; c++)
            {
                Close(formula[r, c], actual[r, c], $"{what}[{r}, {c}]");
                Close(decimals[r, c], actual[r, c], $"{what}[{r}, {c}] against its decimal value");
            }
        }
    }

    private static IEnumerable<double> Flatten(double[,] m)
    {
        for (int r = 0; r < m.GetLength(0); r++)
        {
            for (int c = 0; c < m.GetLength(1); c++)
            {
                yield return m[r, c];
            }
        }
    }
}
