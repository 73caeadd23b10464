using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests;

/// <summary>
/// The two error functions: their values, their output deltas δ_k = ∂L_n/∂a_k (step 2 of the
/// lecture's algorithm), the batch sum L = Σ_n L_n, and softmax cross-entropy's stability for huge logits.
/// </summary>
public sealed class LossTests
{
    private static Vector<double> V(params double[] values) => Vector<double>.Build.DenseOfArray(values);

    [Fact]
    public void HalfSumOfSquaresIsHalfTheSquaredError()
    {
        // ½((0.5 − 1)² + (−2 − 0)² + (3 − 3.5)²) = ½(0.25 + 4 + 0.25) = 2.25
        Assert.Equal(2.25, Loss.HalfSumOfSquares.Value(V(0.5, -2.0, 3.0), V(1.0, 0.0, 3.5)), 15);
    }

    [Fact]
    public void HalfSumOfSquaresDeltaIsTheErrorForLinearOutputs()
    {
        Vector<double> delta = Loss.HalfSumOfSquares.OutputDelta(V(0.5, -2.0, 3.0), V(1.0, 0.0, 3.5), Activation.Identity);
        Assert.Equal([-0.5, -2.0, -0.5], delta.ToArray());
    }

    [Theory]
    [InlineData("logistic")]
    [InlineData("tanh")]
    [InlineData("relu")]
    [InlineData("leaky0.3")]
    [InlineData("elu0.5")]
    [InlineData("elu2")]
    [InlineData("identity")]
    public void HalfSumOfSquaresDeltaIsTheDerivativeWithRespectToA(string name)
    {
        // δ_k = ∂L_n/∂a_k = h'(a_k)(y_k − t_k): checked against a central difference in a.
        Activation h = TestSupport.ActivationByName(name);
        double[] a = [0.7, -1.3, 2.2, -0.4];
        double[] t = [0.1, -0.5, 0.9, 0.3];
        Vector<double> y = V([.. a.Select(h.Value)]);
        Vector<double> delta = Loss.HalfSumOfSquares.OutputDelta(y, V(t), h);
        for (int k = 0; k < a.Length; k++)
        {
            Assert.Equal(h.Derivative(a[k]) * (y[k] - t[k]), delta[k], 14);
            double numeric = (HalfSse(h, a, t, k, 1e-6) - HalfSse(h, a, t, k, -1e-6)) / 2e-6;
            Assert.True(Math.Abs(numeric - delta[k]) <= 1e-8, $"{name}: δ_{k} = {delta[k]} but the central difference is {numeric}");
        }
    }

    [Fact]
    public void SoftmaxIsNormalisedAndShiftInvariant()
    {
        Vector<double> p = Loss.Softmax(V(1.0, 2.0, 3.0));
        double sum = Math.Exp(1.0) + Math.Exp(2.0) + Math.Exp(3.0);
        Assert.Equal(Math.Exp(1.0) / sum, p[0], 15);
        Assert.Equal(Math.Exp(3.0) / sum, p[2], 15);
        Assert.Equal(1.0, p.Sum(), 15);
        Vector<double> shifted = Loss.Softmax(V(501.0, 502.0, 503.0));
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(p[k], shifted[k], 15);
        }
    }

    [Fact]
    public void SoftmaxOfHugeLogitsIsExactAndFinite()
    {
        Assert.Equal([1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0], Loss.Softmax(V(1000.0, 1000.0, 1000.0)).ToArray());
        Assert.Equal([1.0, 0.0, 0.0], Loss.Softmax(V(1000.0, 0.0, -1000.0)).ToArray());
        Assert.Equal([0.5, 0.5], Loss.Softmax(V(-1000.0, -1000.0)).ToArray());
    }

    [Fact]
    public void SoftmaxCrossEntropyIsMinusLogOfTheTargetProbability()
    {
        // L = −Σ_k t_k ln softmax(a)_k.
        double[] a = [0.3, -1.2, 2.0];
        double sum = a.Sum(Math.Exp);
        Assert.Equal(-Math.Log(Math.Exp(-1.2) / sum), Loss.SoftmaxCrossEntropy.Value(V(a), V(0.0, 1.0, 0.0)), 14);
        double soft = -((0.25 * Math.Log(Math.Exp(0.3) / sum)) + (0.75 * Math.Log(Math.Exp(2.0) / sum)));
        Assert.Equal(soft, Loss.SoftmaxCrossEntropy.Value(V(a), V(0.25, 0.0, 0.75)), 14);
    }

    [Fact]
    public void SoftmaxCrossEntropyDeltaIsSoftmaxMinusTargetAndTheDerivative()
    {
        double[] a = [0.3, -1.2, 2.0, 0.5];
        double[] t = [0.0, 0.2, 0.8, 0.0];
        Vector<double> delta = Loss.SoftmaxCrossEntropy.OutputDelta(V(a), V(t), Activation.Identity);
        Vector<double> p = Loss.Softmax(V(a));
        for (int k = 0; k < a.Length; k++)
        {
            Assert.Equal(p[k] - t[k], delta[k], 15);
            double[] plus = (double[])a.Clone(), minus = (double[])a.Clone();
            plus[k] += 1e-6;
            minus[k] -= 1e-6;
            double numeric = (Loss.SoftmaxCrossEntropy.Value(V(plus), V(t)) - Loss.SoftmaxCrossEntropy.Value(V(minus), V(t))) / 2e-6;
            Assert.True(Math.Abs(numeric - delta[k]) <= 1e-9, $"δ_{k} = {delta[k]} but the central difference is {numeric}");
        }
    }

    [Fact]
    public void SoftmaxCrossEntropyWithLogitsOfAThousandIsFiniteAndCorrect()
    {
        // a = (1000, 999): ln Σ e^(a_j) = 1000 + ln(1 + e^(−1)).
        double lnOnePlusInvE = Math.Log(1.0 + Math.Exp(-1.0));          // 0.31326168751822286
        Assert.Equal(lnOnePlusInvE, Loss.SoftmaxCrossEntropy.Value(V(1000.0, 999.0), V(1.0, 0.0)), 14);
        Assert.Equal(1.0 + lnOnePlusInvE, Loss.SoftmaxCrossEntropy.Value(V(1000.0, 999.0), V(0.0, 1.0)), 14);

        // a = (1000, −1000): the wrong class costs exactly 2000, the right one exactly 0.
        Assert.Equal(2000.0, Loss.SoftmaxCrossEntropy.Value(V(1000.0, -1000.0), V(0.0, 1.0)));
        Assert.Equal(0.0, Loss.SoftmaxCrossEntropy.Value(V(1000.0, -1000.0), V(1.0, 0.0)));
        Assert.Equal([1.0, -1.0], Loss.SoftmaxCrossEntropy.OutputDelta(V(1000.0, -1000.0), V(0.0, 1.0), Activation.Identity).ToArray());
        Assert.Equal([0.0, 0.0], Loss.SoftmaxCrossEntropy.OutputDelta(V(1000.0, -1000.0), V(1.0, 0.0), Activation.Identity).ToArray());
    }

    [Theory]
    [InlineData(20.0, 0.0)]
    [InlineData(1000.0, 980.0)]
    [InlineData(-980.0, -1000.0)]
    [InlineData(35.0, 0.0)]
    public void ConfidentPredictionKeepsItsTinyLossAccurate(double right, double wrong)
    {
        // L = ln(1 + e^(−d)) with d = right − wrong: about e^(−20) ≈ 2e-9, far below the ulp of the
        // logits. A log-sum-exp formed as m + ln Σ e^(a_j − m) and then reduced by a_k loses it
        // entirely; the loss must keep its relative accuracy (the series x − x²/2 + x³/3 is exact here).
        double x = Math.Exp(-(right - wrong));
        double expected = x - (x * x / 2.0) + (x * x * x / 3.0);
        TestSupport.AssertRelative(expected, Loss.SoftmaxCrossEntropy.Value(V(right, wrong), V(1.0, 0.0)), 1e-14, "ln(1 + e^(−d))");
    }

    [Fact]
    public void NetworkWithLogitsOfAThousandGivesFiniteLossAndGradient()
    {
        // A 1-2 linear network whose biases are the logits (1000, 999) and whose weights are 0.
        var net = new Mlp([1, 2], [Activation.Identity], seed: 3);
        net.Layers[0].SetWeights(Matrix<double>.Build.DenseOfArray(new[,] { { 1000.0, 0.0 }, { 999.0, 0.0 } }));
        Matrix<double> x = Matrix<double>.Build.DenseOfArray(new[,] { { 2.0 } });
        Matrix<double> t = Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, 1.0 } });

        (double loss, Vector<double> gradient) = net.LossAndGradient(x, t, Loss.SoftmaxCrossEntropy);

        // L = 1 + ln(1 + e^(−1)); δ = softmax(a) − t = (σ(1), σ(1) − 1)... written out: p_1 = 1/(1 + e^(−1)).
        double p1 = 1.0 / (1.0 + Math.Exp(-1.0));
        Assert.Equal(1.0 + Math.Log(1.0 + Math.Exp(-1.0)), loss, 12);
        double[] expected = [p1, p1 * 2.0, (1.0 - p1) - 1.0, ((1.0 - p1) - 1.0) * 2.0]; // (δ_1, δ_1 x, δ_2, δ_2 x)
        for (int p = 0; p < expected.Length; p++)
        {
            Assert.Equal(expected[p], gradient[p], 12);
        }
    }

    [Fact]
    public void SoftmaxCrossEntropyWithLargeSpreadOfLogitsStaysFinite()
    {
        // Finite logits spread over ±1e300: the loss is huge but finite, the deltas are exact.
        Vector<double> a = V(1e300, -1e300);
        Assert.Equal(2e300, Loss.SoftmaxCrossEntropy.Value(a, V(0.0, 1.0)));
        Assert.Equal([1.0, -1.0], Loss.SoftmaxCrossEntropy.OutputDelta(a, V(0.0, 1.0), Activation.Identity).ToArray());
    }

    [Theory]
    [InlineData("sse")]
    [InlineData("ce")]
    public void BatchLossIsTheSumOverSamples(string lossName)
    {
        // L = Σ_n L_n, as in the lecture.
        Loss loss = TestSupport.LossByName(lossName);
        var rng = new Random(11);
        var net = new Mlp([3, 5, 4], Activation.Tanh, Activation.Identity, seed: 2);
        Matrix<double> x = TestSupport.RandomInputs(rng, 7, 3);
        Matrix<double> t = TestSupport.RandomTargets(rng, 7, 4, loss);
        Matrix<double> y = net.Predict(x);
        double sum = 0.0;
        for (int n = 0; n < 7; n++)
        {
            sum += loss.Value(y.Row(n), t.Row(n));
            Assert.Equal(net.Predict(x.Row(n)).ToArray(), y.Row(n).ToArray(), new ToleranceComparer(1e-14));
        }

        Assert.Equal(sum, net.ComputeLoss(x, t, loss), 12);
        Assert.Equal(sum, net.LossAndGradient(x, t, loss).Loss, 12);
        Assert.Equal(sum, net.Backward(net.Forward(x), t, loss).Loss, 12);
    }

    [Fact]
    public void NamesAndOutputValidation()
    {
        Assert.Equal("half sum of squares", Loss.HalfSumOfSquares.Name);
        Assert.Equal("softmax cross-entropy", Loss.SoftmaxCrossEntropy.ToString());
        Loss.HalfSumOfSquares.ValidateOutput(Activation.Logistic); // any output activation is fine
        Loss.SoftmaxCrossEntropy.ValidateOutput(Activation.Identity);
    }

    private static double HalfSse(Activation h, double[] a, double[] t, int k, double step)
    {
        double sum = 0.0;
        for (int i = 0; i < a.Length; i++)
        {
            double e = h.Value(a[i] + (i == k ? step : 0.0)) - t[i];
            sum += e * e;
        }

        return 0.5 * sum;
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1.0, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }
}
