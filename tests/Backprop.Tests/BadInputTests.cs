using MathNet.Numerics.LinearAlgebra;
using static Backprop.Tests.TestSupport;

namespace Backprop.Tests;

/// <summary>
/// Every bad input the issue lists throws an ArgumentException (or a subclass) whose message names
/// the argument, what was expected and what came — never a silent NaN.
/// </summary>
public sealed class BadInputTests
{
    private static readonly Activation[] TanhThenIdentity = [Activation.Tanh, Activation.Identity];

    // A 3-4-2 network: 16 + 10 = 26 parameters.
    private static Mlp Net() => new([3, 4, 2], Activation.Tanh, Activation.Identity, seed: 1);

    private static Vector<double> V(params double[] values) => Vector<double>.Build.DenseOfArray(values);

    private static Matrix<double> M(int rows, int columns, double value = 0.25) => Matrix<double>.Build.Dense(rows, columns, value);

    private static Matrix<double> OneHot(int rows, int columns)
    {
        Matrix<double> t = M(rows, columns, 0.0);
        for (int n = 0; n < rows; n++)
        {
            t[n, n % columns] = 1.0;
        }

        return t;
    }

    // ---- Construction -------------------------------------------------------------------------

    [Fact]
    public void FewerThanTwoLayerSizes()
    {
        ArgumentException e = AssertArgumentException(() => new Mlp([3], [], seed: 1), "layerSizes", "at least two", "has 1");
        Assert.Equal("layerSizes", e.ParamName);
        AssertArgumentException(() => new Mlp([], [], seed: 1), "layerSizes", "at least two", "has 0");
        AssertArgumentException(() => new Mlp([3], Activation.Tanh, Activation.Identity, seed: 1), "layerSizes", "at least two", "has 1");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void ZeroSizedOrNegativeLayer(int size)
    {
        ArgumentException e = AssertArgumentException(() => new Mlp([3, size, 2], TanhThenIdentity, seed: 1), "layerSizes[1]", "at least 1", $"is {size}");
        Assert.Equal("layerSizes", e.ParamName);
        AssertArgumentException(() => new Mlp([size, 2], Activation.Tanh, Activation.Identity, seed: 1), "layerSizes[0]", "at least 1", $"is {size}");
        AssertArgumentException(() => new Mlp([3, 2, size], Activation.Tanh, Activation.Identity, seed: 1), "layerSizes[2]", "at least 1", $"is {size}");
    }

    [Fact]
    public void WrongNumberOfActivations()
    {
        ArgumentException e = AssertArgumentException(() => new Mlp([3, 4, 2], [Activation.Tanh], seed: 1), "activations", "2", "has 1");
        Assert.Equal("activations", e.ParamName);
        AssertArgumentException(() => new Mlp([3, 4, 2], [Activation.Tanh, Activation.Tanh, Activation.Identity], seed: 1), "activations", "2", "has 3");
        AssertArgumentException(() => new Mlp([3, 4, 2], [Activation.Tanh, null!], seed: 1), "activations[1]", "null");
        Assert.Throws<ArgumentNullException>(() => new Mlp(null!, TanhThenIdentity, seed: 1));
        Assert.Throws<ArgumentNullException>(() => new Mlp([3, 4, 2], null!, seed: 1));
        Assert.Throws<ArgumentNullException>(() => new Mlp([3, 4, 2], Activation.Tanh, null!, seed: 1));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LeakyReLUSlopeOutsideZeroToOne(double k)
    {
        ArgumentOutOfRangeException e = AssertThrows<ArgumentOutOfRangeException>(() => Activation.LeakyReLU(k), "k", "0 ≤ k ≤ 1", Describe(k));
        Assert.Equal("k", e.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void EluScaleNotPositive(double k)
    {
        ArgumentOutOfRangeException e = AssertThrows<ArgumentOutOfRangeException>(() => Activation.Elu(k), "k > 0", Describe(k));
        Assert.Equal("k", e.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void NormalInitialisationNeedsPositiveSigma(double sigma)
    {
        ArgumentOutOfRangeException e = AssertThrows<ArgumentOutOfRangeException>(() => Initialisation.Normal(sigma), "sigma", "> 0", Describe(sigma));
        Assert.Equal("sigma", e.ParamName);
    }

    [Theory]
    [InlineData("He", 0, 3, "fanIn", 0)]            // σ_w = (2 / 0)^(1/2) = ∞
    [InlineData("LeCun", -4, 3, "fanIn", -4)]       // σ_w = (−4)^(−1/2) = NaN
    [InlineData("Glorot", -1, -1, "fanIn", -1)]     // r = √6 / √(−2) = NaN
    [InlineData("Glorot", 5, 0, "fanOut", 0)]
    [InlineData("Normal", 0, 0, "fanIn", 0)]        // σ does not depend on the fans, but no layer has 0 inputs
    public void InitialisationScaleNeedsFansOfAtLeastOne(string name, int fanIn, int fanOut, string bad, int value)
    {
        Initialisation init = name switch
        {
            "He" => Initialisation.He,
            "LeCun" => Initialisation.LeCun,
            "Glorot" => Initialisation.Glorot,
            _ => Initialisation.Normal(0.5),
        };
        string what = bad == "fanIn" ? "fan_in" : "fan_out";
        ArgumentOutOfRangeException e = AssertThrows<ArgumentOutOfRangeException>(() => init.Scale(fanIn, fanOut), bad, what, "at least 1", $"is {value}");
        Assert.Equal(bad, e.ParamName);
        Assert.Equal(value, e.ActualValue);
        AssertThrows<ArgumentOutOfRangeException>(() => init.StandardDeviation(fanIn, fanOut), bad, what, $"is {value}");
    }

    [Fact]
    public void GlorotScaleOfHugeFansDoesNotOverflowTheSum()
    {
        // fan_in + fan_out in int arithmetic would wrap to −2 and give NaN.
        Assert.Equal(Math.Sqrt(6.0 / (2.0 * int.MaxValue)), Initialisation.Glorot.Scale(int.MaxValue, int.MaxValue), 15);
    }

    // ---- Sizes ----------------------------------------------------------------------------------

    [Fact]
    public void ForwardWithWrongInputLength()
    {
        ArgumentException e = AssertArgumentException(() => Net().Forward(V(1.0, 2.0)), "x", "3 entries", "has 2");
        Assert.Equal("x", e.ParamName);
        AssertArgumentException(() => Net().Predict(V(1.0, 2.0, 3.0, 4.0)), "x", "3 entries", "has 4");
        Assert.Throws<ArgumentNullException>(() => Net().Forward((Vector<double>)null!));
    }

    [Fact]
    public void BatchForwardWithWrongNumberOfColumns()
    {
        ArgumentException e = AssertArgumentException(() => Net().Forward(M(5, 2)), "inputs", "3 columns", "5 × 2");
        Assert.Equal("inputs", e.ParamName);
        AssertArgumentException(() => Net().Predict(M(5, 4)), "inputs", "3 columns", "5 × 4");
        AssertArgumentException(() => Net().ComputeLoss(M(5, 4), M(5, 2), Loss.HalfSumOfSquares), "inputs", "3 columns", "5 × 4");
        AssertArgumentException(() => Net().LossAndGradient(M(5, 4), M(5, 2), Loss.HalfSumOfSquares), "inputs", "3 columns", "5 × 4");
    }

    [Fact]
    public void BackwardWithTargetOfWrongWidth()
    {
        Mlp net = Net();
        ForwardPass pass = net.Forward(V(0.1, 0.2, 0.3));
        ArgumentException e = AssertArgumentException(() => net.Backward(pass, V(1.0, 2.0, 3.0), Loss.HalfSumOfSquares), "target", "2 entries", "has 3");
        Assert.Equal("target", e.ParamName);
        AssertArgumentException(() => net.Backward(pass, V(1.0), Loss.HalfSumOfSquares), "target", "2 entries", "has 1");
    }

    [Theory]
    [InlineData("Z", 1, 0, 5.0, "5")]
    [InlineData("Z", 2, 1, -0.5, "-0.5")]              // the output y
    [InlineData("Z", 0, 2, 0.0, "0")]                  // the stored input x
    [InlineData("A", 1, 3, double.NaN, "NaN")]
    [InlineData("A", 2, 0, 1e300, "1E+300")]
    public void BackwardRefusesAPassEditedAfterForward(string which, int l, int i, double value, string shown)
    {
        Mlp net = Net();
        ForwardPass pass = net.Forward(V(0.1, 0.2, 0.3));
        Vector<double> t = V(1.0, 0.0);
        Vector<double> expected = net.Backward(pass, t, Loss.HalfSumOfSquares).ToVector();
        Vector<double> edited = which == "Z" ? pass.Z(l) : pass.A(l);
        double original = edited[i];
        edited[i] = value;

        // Named as the lecture writes it (z⁽ˡ⁾ᵢ₊₁, unit i + 1 of layer l) and as C# reads it.
        string lecture = (which == "Z" ? "z" : "a") + Notation.Layer(l) + Notation.Subscripts(i + 1);
        ArgumentException e = AssertArgumentException(
            () => net.Backward(pass, t, Loss.HalfSumOfSquares), "changed after Forward", $"{lecture} (pass.{which}({l})[{i}]) is {shown}", $"Forward computed {Describe(original)}", "Run Forward again");
        Assert.Equal("pass", e.ParamName);

        // Put back, the pass is what Forward made again and gives the same gradient.
        edited[i] = original;
        Assert.Equal(expected, net.Backward(pass, t, Loss.HalfSumOfSquares).ToVector());
    }

    [Theory]
    [InlineData("Z", 1, 2, 0, 5.0)]
    [InlineData("Z", 2, 3, 1, -0.5)]                  // an output
    [InlineData("Z", 0, 0, 2, 0.0)]                   // a stored input
    [InlineData("A", 1, 1, 3, double.NaN)]
    [InlineData("A", 2, 0, 0, 1e300)]
    public void BatchBackwardRefusesAPassEditedAfterForward(string which, int l, int row, int column, double value)
    {
        Mlp net = Net();
        Matrix<double> x = Matrix<double>.Build.Dense(4, 3, (n, i) => 0.1 * (n + 1) - 0.2 * i);
        BatchForwardPass pass = net.Forward(x);
        Matrix<double> t = OneHot(4, 2);
        Matrix<double> expected = net.Backward(pass, t, Loss.HalfSumOfSquares).WeightGradient(1);
        Matrix<double> edited = which == "Z" ? pass.Z(l) : pass.A(l);
        double original = edited[row, column];
        edited[row, column] = value;

        ArgumentException e = AssertArgumentException(
            () => net.Backward(pass, t, Loss.HalfSumOfSquares), "changed after Forward", $"an entry of pass.{which}({l}) differs", "Run Forward again", $"pass.{which}({l}).Clone()");
        Assert.Equal("pass", e.ParamName);

        edited[row, column] = original;
        Assert.Equal(expected, net.Backward(pass, t, Loss.HalfSumOfSquares).WeightGradient(1));
    }

    [Fact]
    public void TheChecksumOfABatchPassSeesTheSmallestChangeOfAnyEntry()
    {
        // Property: one bit flipped anywhere (the last bit of the mantissa, or −0 for 0) is refused.
        Mlp net = new([5, 7, 3], Activation.Tanh, Activation.Identity, seed: 4);
        Matrix<double> x = TestSupport.RandomInputs(new Random(4), 9, 5);
        BatchForwardPass pass = net.Forward(x);
        Matrix<double> t = M(9, 3, 0.0);
        foreach (Matrix<double> m in Enumerable.Range(0, pass.LayerCount + 1).Select(pass.Z).Concat(Enumerable.Range(1, pass.LayerCount).Select(pass.A)))
        {
            for (int index = 0; index < m.RowCount * m.ColumnCount; index++)
            {
                int row = index % m.RowCount, column = index / m.RowCount;
                double original = m[row, column];
                m[row, column] = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(original) ^ 1L);
                Assert.Throws<ArgumentException>(() => net.Backward(pass, t, Loss.HalfSumOfSquares));
                m[row, column] = original;
            }
        }

        net.Backward(pass, t, Loss.HalfSumOfSquares); // all put back: accepted
    }

    [Fact]
    public void BatchBackwardWithTargetsOfWrongShape()
    {
        Mlp net = Net();
        BatchForwardPass pass = net.Forward(M(4, 3));
        ArgumentException e = AssertArgumentException(() => net.Backward(pass, M(4, 3), Loss.HalfSumOfSquares), "targets", "4 × 2", "4 × 3");
        Assert.Equal("targets", e.ParamName);
        AssertArgumentException(() => net.Backward(pass, M(5, 2), Loss.HalfSumOfSquares), "targets", "4 × 2", "5 × 2");
    }

    [Fact]
    public void LossAndGradientAndComputeLossWithTargetsOfWrongShape()
    {
        Mlp net = Net();
        AssertArgumentException(() => net.LossAndGradient(M(4, 3), M(4, 1), Loss.HalfSumOfSquares), "targets", "4 × 2", "4 × 1");
        AssertArgumentException(() => net.LossAndGradient(M(4, 3), M(3, 2), Loss.HalfSumOfSquares), "targets", "4 × 2", "3 × 2");
        AssertArgumentException(() => net.ComputeLoss(M(4, 3), M(4, 5), Loss.HalfSumOfSquares), "targets", "4 × 2", "4 × 5");
    }

    [Fact]
    public void BackwardWithAPassFromAnotherNetwork()
    {
        Mlp net = Net();
        ForwardPass deeper = new Mlp([3, 4, 4, 2], Activation.Tanh, Activation.Identity, seed: 1).Forward(V(0.1, 0.2, 0.3));
        ArgumentException e = AssertArgumentException(() => net.Backward(deeper, V(1.0, 0.0), Loss.HalfSumOfSquares), "pass", "3 layers", "2 layers");
        Assert.Equal("pass", e.ParamName);
        ForwardPass wider = new Mlp([3, 4, 5], Activation.Tanh, Activation.Identity, seed: 1).Forward(V(0.1, 0.2, 0.3));
        AssertArgumentException(() => net.Backward(wider, V(1.0, 0.0), Loss.HalfSumOfSquares), "pass", "5 outputs", "2 outputs");
        BatchForwardPass batch = new Mlp([3, 4, 4, 2], Activation.Tanh, Activation.Identity, seed: 1).Forward(M(2, 3));
        AssertArgumentException(() => net.Backward(batch, M(2, 2), Loss.HalfSumOfSquares), "pass", "3 layers", "2 layers");
    }

    [Fact]
    public void BackwardWithAPassOfTheSameDepthButOtherLayerSizes()
    {
        // Same depth and outputs, different inputs or hidden units: the pass's a and z do not fit
        // this network's weights, and the gradient would silently have the wrong shape.
        Mlp net = Net();
        ForwardPass otherInputs = new Mlp([5, 4, 2], Activation.Tanh, Activation.Identity, seed: 1).Forward(V(0.1, 0.2, 0.3, 0.4, 0.5));
        AssertArgumentException(() => net.Backward(otherInputs, V(1.0, 0.0), Loss.HalfSumOfSquares), "pass");
        ForwardPass otherHidden = new Mlp([3, 6, 2], Activation.Tanh, Activation.Identity, seed: 1).Forward(V(0.1, 0.2, 0.3));
        AssertArgumentException(() => net.Backward(otherHidden, V(1.0, 0.0), Loss.HalfSumOfSquares), "pass");
        BatchForwardPass otherBatch = new Mlp([5, 4, 2], Activation.Tanh, Activation.Identity, seed: 1).Forward(M(3, 5));
        AssertArgumentException(() => net.Backward(otherBatch, M(3, 2), Loss.HalfSumOfSquares), "pass");
    }

    [Fact]
    public void SetParametersWithWrongLength()
    {
        Mlp net = Net();
        ArgumentException e = AssertArgumentException(() => net.SetParameters(Vector<double>.Build.Dense(25)), "w", "26 entries", "has 25");
        Assert.Equal("w", e.ParamName);
        AssertArgumentException(() => net.SetParameters(Vector<double>.Build.Dense(27)), "w", "26 entries", "has 27");
        Assert.Throws<ArgumentNullException>(() => net.SetParameters(null!));
    }

    [Fact]
    public void SetWeightsWithWrongShape()
    {
        Mlp net = Net();
        ArgumentException e = AssertArgumentException(() => net.Layers[0].SetWeights(M(4, 3)), "weights", "4 × 4", "4 × 3");
        Assert.Equal("weights", e.ParamName);
        AssertArgumentException(() => net.Layers[1].SetWeights(M(5, 2)), "weights", "2 × 5", "5 × 2");
        AssertArgumentException(() => net.Layers[1].SetWeights(M(2, 4)), "weights", "2 × 5", "2 × 4", "column 0 = bias");
    }

    [Fact]
    public void ActivationSpansOfDifferentLengths()
    {
        AssertArgumentException(() => Activation.Tanh.Value(new double[3], new double[2]), "z", "3", "2");
        AssertArgumentException(() => Activation.Identity.Value(new double[3], new double[4]), "z", "3", "4");
        AssertArgumentException(() => Activation.Logistic.DerivativeFromOutput(new double[3], new double[2]), "d", "3", "2");
    }

    // ---- NaN and infinity -----------------------------------------------------------------------

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NonFiniteInputs(double bad, string shown)
    {
        Mlp net = Net();
        ArgumentException e = AssertArgumentException(() => net.Forward(V(0.1, bad, 0.3)), "x[1]", shown, "finite");
        Assert.Equal("x", e.ParamName);
        Matrix<double> x = M(3, 3);
        x[2, 1] = bad;
        AssertArgumentException(() => net.Forward(x), "inputs[2, 1]", shown, "finite");
        AssertArgumentException(() => net.LossAndGradient(x, M(3, 2), Loss.HalfSumOfSquares), "inputs[2, 1]", shown, "finite");
        AssertArgumentException(() => net.ComputeLoss(x, M(3, 2), Loss.HalfSumOfSquares), "inputs[2, 1]", shown, "finite");
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void NonFiniteTargets(double bad, string shown)
    {
        Mlp net = Net();
        AssertArgumentException(() => net.Backward(net.Forward(V(0.1, 0.2, 0.3)), V(0.0, bad), Loss.HalfSumOfSquares), "target[1]", shown, "finite");
        Matrix<double> t = M(3, 2);
        t[1, 0] = bad;
        AssertArgumentException(() => net.LossAndGradient(M(3, 3), t, Loss.HalfSumOfSquares), "targets row 1[0]", shown, "finite");
        AssertArgumentException(() => net.Backward(net.Forward(M(3, 3)), t, Loss.HalfSumOfSquares), "targets row 1[0]", shown, "finite");
        AssertArgumentException(() => net.ComputeLoss(M(3, 3), t, Loss.HalfSumOfSquares), "targets row 1[0]", shown, "finite");
        AssertArgumentException(() => Loss.HalfSumOfSquares.Value(V(0.0, 1.0), V(bad, 1.0)), "t[0]", shown);
        AssertArgumentException(() => Loss.HalfSumOfSquares.Value(V(bad, 1.0), V(0.0, 1.0)), "y[0]", shown);
        AssertArgumentException(() => Loss.Softmax(V(1.0, bad)), "a[1]", shown);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NonFiniteParametersAndWeightMatrices(double bad, string shown)
    {
        Mlp net = Net();
        Vector<double> before = net.GetParameters();
        Vector<double> w = before.Clone();
        w[20] = bad;
        AssertArgumentException(() => net.SetParameters(w), "w[20]", shown, "finite");
        Assert.Equal(before.ToArray(), net.GetParameters().ToArray()); // nothing was half-written

        Matrix<double> weights = M(4, 4);
        weights[1, 2] = bad;
        AssertArgumentException(() => net.Layers[0].SetWeights(weights), "weights[1, 2]", shown, "finite");
        Assert.Equal(before.ToArray(), net.GetParameters().ToArray());
    }

    [Fact]
    public void NaNWeightWrittenInPlaceIsNamedByForward()
    {
        Mlp net = Net();
        net.Layers[1].Weights[1, 3] = double.NaN;
        ArgumentException e = AssertArgumentException(() => net.Forward(V(0.1, 0.2, 0.3)), "w⁽²⁾₂₃ (Layers[1].Weights[1, 3])", "NaN");
        Assert.Equal("Weights", e.ParamName);
        AssertArgumentException(() => net.Forward(M(4, 3)), "w⁽²⁾₂₃ (Layers[1].Weights[1, 3])", "NaN");
        AssertArgumentException(() => net.LossAndGradient(M(4, 3), M(4, 2), Loss.HalfSumOfSquares), "w⁽²⁾₂₃ (Layers[1].Weights[1, 3])", "NaN");
        AssertArgumentException(() => net.Predict(M(4, 3)), "w⁽²⁾₂₃ (Layers[1].Weights[1, 3])", "NaN");

        // Also in the first layer, behind a saturating tanh.
        Mlp other = Net();
        other.Layers[0].Weights[2, 0] = double.NaN;
        AssertArgumentException(() => other.Forward(V(0.1, 0.2, 0.3)), "w⁽¹⁾₃₀ (Layers[0].Weights[2, 0])", "NaN");
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void InfiniteWeightBehindASaturatingUnitIsNamedByForward(double bad, string shown)
    {
        // tanh(±∞) = ±1 is finite, so the outputs alone do not reveal the infinite weight: the network
        // would silently compute with it (finite outputs, a zero gradient for the saturated unit, and
        // GetParameters handing out a vector SetParameters refuses). Forward must refuse it instead.
        Mlp net = Net();
        net.Layers[0].Weights[1, 2] = bad;
        AssertArgumentException(() => net.Forward(V(0.1, 0.2, 0.3)), "w⁽¹⁾₂₂ (Layers[0].Weights[1, 2])", shown);
        AssertArgumentException(() => net.Forward(M(2, 3)), "w⁽¹⁾₂₂ (Layers[0].Weights[1, 2])", shown);
        AssertArgumentException(() => net.LossAndGradient(M(2, 3), M(2, 2), Loss.HalfSumOfSquares), "w⁽¹⁾₂₂ (Layers[0].Weights[1, 2])", shown);
    }

    [Fact]
    public void OverflowWithFiniteWeightsIsAnArithmeticErrorNotANaN()
    {
        // Finite but huge weights: the outputs overflow. Not a bad argument — a diverged training run.
        var net = new Mlp([1, 1], [Activation.Identity], seed: 1);
        net.Layers[0].SetWeights(Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, 1e200 } }));
        ArithmeticException e = Assert.Throws<ArithmeticException>(() => net.Forward(V(1e200)));
        Assert.Contains("learning rate", e.Message, StringComparison.Ordinal);

        // Finite outputs whose squared error overflows.
        net.Layers[0].SetWeights(Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, 1e160 } }));
        Assert.Throws<ArithmeticException>(() => net.LossAndGradient(M(1, 1, 1e160), M(1, 1, 0.0), Loss.HalfSumOfSquares));
    }

    // ---- Softmax cross-entropy -------------------------------------------------------------------

    [Fact]
    public void SoftmaxCrossEntropyTargetsMustNotBeNegative()
    {
        Mlp net = Net();
        Matrix<double> t = OneHot(3, 2);
        t[2, 0] = 1.5;
        t[2, 1] = -0.5;                                   // sums to 1 but is not a probability
        AssertArgumentException(() => net.LossAndGradient(M(3, 3), t, Loss.SoftmaxCrossEntropy), "targets row 2[1]", "-0.5", "≥ 0");
        AssertArgumentException(() => net.ComputeLoss(M(3, 3), t, Loss.SoftmaxCrossEntropy), "targets row 2[1]", "-0.5", "≥ 0");
        AssertArgumentException(() => net.Backward(net.Forward(V(0.1, 0.2, 0.3)), V(1.5, -0.5), Loss.SoftmaxCrossEntropy), "target[1]", "-0.5", "≥ 0");
        AssertArgumentException(() => Loss.SoftmaxCrossEntropy.Value(V(0.1, 0.2), V(1.5, -0.5)), "t[1]", "-0.5");
    }

    [Theory]
    [InlineData(0.5, 0.4, "0.9")]
    [InlineData(1.0, 1.0, "2")]
    [InlineData(0.0, 0.0, "0")]
    public void SoftmaxCrossEntropyTargetsMustSumToOne(double t0, double t1, string sum)
    {
        Mlp net = Net();
        Matrix<double> t = OneHot(3, 2);
        t[1, 0] = t0;
        t[1, 1] = t1;
        AssertArgumentException(() => net.LossAndGradient(M(3, 3), t, Loss.SoftmaxCrossEntropy), "targets row 1", $"sums to {sum}", "sum to 1");
        AssertArgumentException(() => net.Backward(net.Forward(M(3, 3)), t, Loss.SoftmaxCrossEntropy), "targets row 1", $"sums to {sum}", "sum to 1");
        AssertArgumentException(() => net.Backward(net.Forward(V(0.1, 0.2, 0.3)), V(t0, t1), Loss.SoftmaxCrossEntropy), "target", $"sums to {sum}");
        AssertArgumentException(() => Loss.SoftmaxCrossEntropy.OutputDelta(V(0.1, 0.2), V(t0, t1), Activation.Identity), "t", $"sums to {sum}");
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("logistic")]
    [InlineData("relu")]
    public void SoftmaxCrossEntropyNeedsIdentityOutputs(string output)
    {
        Activation h = ActivationByName(output);
        var net = new Mlp([3, 4, 2], Activation.Tanh, h, seed: 1);
        string[] pieces = ["identity", h.Name];
        AssertArgumentException(() => net.LossAndGradient(M(2, 3), OneHot(2, 2), Loss.SoftmaxCrossEntropy), pieces);
        AssertArgumentException(() => net.ComputeLoss(M(2, 3), OneHot(2, 2), Loss.SoftmaxCrossEntropy), pieces);
        AssertArgumentException(() => net.Backward(net.Forward(M(2, 3)), OneHot(2, 2), Loss.SoftmaxCrossEntropy), pieces);
        AssertArgumentException(() => net.Backward(net.Forward(V(0.1, 0.2, 0.3)), V(1.0, 0.0), Loss.SoftmaxCrossEntropy), pieces);
        ArgumentException e = AssertArgumentException(() => Loss.SoftmaxCrossEntropy.ValidateOutput(h), pieces);
        Assert.Equal("output", e.ParamName);
        AssertArgumentException(() => Loss.SoftmaxCrossEntropy.OutputDelta(V(0.1, 0.2), V(1.0, 0.0), h), pieces);
        AssertArgumentException(() => GradientChecker.Check(net, M(2, 3), OneHot(2, 2), Loss.SoftmaxCrossEntropy), pieces);
    }

    [Fact]
    public void LossesWithMismatchedSizes()
    {
        ArgumentException e = AssertArgumentException(() => Loss.HalfSumOfSquares.Value(V(1.0, 2.0, 3.0), V(1.0, 2.0)), "t", "3 entries", "has 2");
        Assert.Equal("t", e.ParamName);
        AssertArgumentException(() => Loss.SoftmaxCrossEntropy.OutputDelta(V(1.0, 2.0), V(1.0, 0.0, 0.0), Activation.Identity), "t", "2 entries", "has 3");
        Assert.Throws<ArgumentNullException>(() => Loss.HalfSumOfSquares.Value(null!, V(1.0)));
        Assert.Throws<ArgumentNullException>(() => Loss.HalfSumOfSquares.OutputDelta(null!, V(1.0), Activation.Identity));
    }

    // ---- Data sets -------------------------------------------------------------------------------

    [Fact]
    public void ADatasetNeedsOneTargetRowAndOneLabelPerInputRow()
    {
        ArgumentException e = AssertArgumentException(() => new Dataset("d", M(8, 3), M(5, 2)), "Targets", "one row per sample", "8", "has 5");
        Assert.Equal("Targets", e.ParamName);
        e = AssertArgumentException(() => new Dataset("d", M(8, 3), OneHot(8, 2), new int[7]), "Labels", "one entry per sample", "8", "has 7");
        Assert.Equal("Labels", e.ParamName);

        // A with expression changes one property at a time, so a set made by one is checked where it is used.
        Mlp net = Net();
        Dataset good = new("d", M(8, 3), OneHot(8, 2), new int[8]);
        Dataset bad = good with { Targets = OneHot(5, 2) };
        string[] pieces = ["Targets", "one row per sample", "8", "has 5"];
        AssertArgumentException(() => new BatchGradientDescent { Epochs = 1 }.Train(net, bad, Loss.HalfSumOfSquares), pieces);
        AssertArgumentException(() => new BatchGradientDescent { Epochs = 1 }.Train(net, good, Loss.HalfSumOfSquares, validation: bad), pieces);
        AssertArgumentException(() => bad.Take(2), pieces);
        AssertArgumentException(() => bad.Split(0.5, seed: 1), pieces);
        AssertArgumentException(() => Metrics.Accuracy(net, bad), pieces);
        AssertArgumentException(() => Metrics.RootMeanSquareError(net, bad), pieces);
        AssertArgumentException(() => Metrics.Accuracy(net, good with { Labels = new int[3] }), "Labels", "8", "has 3");
    }

    [Fact]
    public void ArgMaxOfRowsWithoutColumnsIsRefused()
    {
        ArgumentException e = AssertArgumentException(() => Metrics.ArgMax(M(3, 0)), "rows", "at least one column", "3 × 0");
        Assert.Equal("rows", e.ParamName);
        AssertArgumentException(() => Metrics.ArgMax(M(0, 0)), "rows", "0 × 0");
        AssertArgumentException(() => Metrics.Accuracy(M(3, 0), M(3, 0)), "rows", "3 × 0");
        Assert.Empty(Metrics.ArgMax(M(0, 2)));                     // no rows, but a column per class: nothing to pick, nothing wrong
    }

    [Theory]
    [InlineData("SGD")]
    [InlineData("CG")]
    public void AValidationSetWithoutSamplesIsRefused(string optimizer)
    {
        Mlp net = Net();
        var empty = new Dataset("empty", M(0, 3), M(0, 2));
        IOptimizer o = optimizer == "SGD" ? new StochasticGradientDescent { Epochs = 1 } : new ConjugateGradient { MaxIterations = 1 };
        Vector<double> before = net.GetParameters();
        ArgumentException e = AssertArgumentException(() => o.Train(net, M(4, 3), OneHot(4, 2), Loss.SoftmaxCrossEntropy, empty, null), "validation", "empty", "no samples");
        Assert.Equal("validation", e.ParamName);
        Assert.Equal(before, net.GetParameters());              // refused before any training
    }

    // ---- Gradient checker -------------------------------------------------------------------------

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveEpsilon(double epsilon)
    {
        Mlp net = Net();
        var options = new GradientCheckOptions { Epsilon = epsilon };
        ArgumentOutOfRangeException e = AssertThrows<ArgumentOutOfRangeException>(
            () => GradientChecker.Check(net, M(2, 3), M(2, 2), Loss.HalfSumOfSquares, options), "Epsilon", "between 1E-10 and 0.01", $"it is {Describe(epsilon)}");
        Assert.Equal("Epsilon", e.ParamName);
        AssertThrows<ArgumentOutOfRangeException>(
            () => GradientChecker.Check(w => (w.DotProduct(w), 2.0 * w), V(1.0, 2.0), null, options), "Epsilon", "between", Describe(epsilon));
        AssertThrows<ArgumentOutOfRangeException>(() => GradientChecker.Derivative(w => w[0], V(1.0), 0, epsilon), "epsilon", "> 0", Describe(epsilon));
        AssertThrows<ArgumentOutOfRangeException>(() => GradientChecker.NumericalGradient(w => w[0], V(1.0), epsilon), "epsilon", "> 0", Describe(epsilon));
    }

    [Theory]
    [InlineData(1e-300, "1E-300")]
    [InlineData(1e-11, "1E-11")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1")]
    public void AGradientCheckRefusesAStepThatWouldCallACorrectGradientWrong(double epsilon, string shown)
    {
        // At ε = 1e-300, L(w + ε) = L(w − ε): every numerical derivative is 0, and the correct backward pass was called Wrong.
        Mlp net = Net();
        var options = new GradientCheckOptions { Epsilon = epsilon };
        ArgumentOutOfRangeException e = AssertThrows<ArgumentOutOfRangeException>(
            () => GradientChecker.Check(net, M(2, 3), OneHot(2, 2), Loss.HalfSumOfSquares, options),
            "Epsilon (the step ε of the finite difference)", "between 1E-10 and 0.01", $"it is {shown}", "rounding", "truncation", "correct gradient would be called Wrong", "default 1e-5");
        Assert.Equal(epsilon, e.ActualValue);

        // The ends of the range are accepted and give a correct gradient no verdict worse than Acceptable.
        foreach (double edge in new[] { GradientCheckOptions.MinimumEpsilon, GradientCheckOptions.MaximumEpsilon })
        {
            GradientCheckReport report = GradientChecker.Check(net, M(2, 3), OneHot(2, 2), Loss.HalfSumOfSquares, new GradientCheckOptions { Epsilon = edge });
            Assert.True(report.Verdict <= GradientVerdict.Acceptable, $"ε = {edge}: {report}");
        }

        // Derivative and NumericalGradient are the tools to explore ε, so they take any ε > 0.
        Assert.Equal(0.0, GradientChecker.Derivative(w => w[0] * w[0], V(1.0), 0, epsilon: 1e-300));
    }

    [Fact]
    public void OtherBadGradientCheckOptions()
    {
        Func<Vector<double>, (double, Vector<double>)> square = w => (w.DotProduct(w), 2.0 * w);
        AssertThrows<ArgumentOutOfRangeException>(
            () => GradientChecker.Check(square, V(1.0, 2.0), null, new GradientCheckOptions { MaxParametersPerBlock = 0 }), "MaxParametersPerBlock", "at least 1");
        AssertThrows<ArgumentOutOfRangeException>(
            () => GradientChecker.Check(square, V(1.0, 2.0), null, new GradientCheckOptions { AbsoluteFloor = 0.0 }), "AbsoluteFloor", "> 0");
        AssertThrows<ArgumentOutOfRangeException>(
            () => GradientChecker.Check(square, V(1.0, 2.0), null, new GradientCheckOptions { WorstCount = -1 }), "WorstCount");
        AssertThrows<ArgumentOutOfRangeException>(() => GradientChecker.Derivative(w => w[0], V(1.0, 2.0), 2), "index");
        AssertThrows<ArgumentOutOfRangeException>(() => GradientChecker.Derivative(w => w[0], V(1.0, 2.0), -1), "index");
    }

    [Fact]
    public void ObjectiveWithAWrongOrNonFiniteGradient()
    {
        AssertArgumentException(() => GradientChecker.Check(w => (1.0, V(1.0, 2.0)), V(1.0, 2.0, 3.0)), "gradient", "3 entries", "has 2");
        AssertArgumentException(() => GradientChecker.Check(w => (1.0, V(1.0, double.NaN)), V(1.0, 2.0)), "gradient[1]", "NaN");
        AssertArgumentException(() => GradientChecker.Check(w => (double.PositiveInfinity, V(1.0, 2.0)), V(1.0, 2.0)), "objective", "Infinity", "finite");
        AssertArgumentException(() => GradientChecker.Check(w => (1.0, V(1.0, 2.0)), V(1.0, double.NaN)), "w[1]", "NaN");
    }

    [Fact]
    public void LayoutThatDoesNotCoverTheParameters()
    {
        Func<Vector<double>, (double, Vector<double>)> square = w => (w.DotProduct(w), 2.0 * w);
        AssertArgumentException(() => GradientChecker.Check(square, V(1.0, 2.0, 3.0, 4.0), [new ParameterBlock("a", 0, 1, 3)]), "layout", "covers 3", "4");
        AssertArgumentException(
            () => GradientChecker.Check(square, V(1.0, 2.0, 3.0, 4.0), [new ParameterBlock("a", 0, 1, 2), new ParameterBlock("b", 3, 1, 1)]),
            "layout", "b", "starts at 3", "expected start 2");
    }

    [Fact]
    public void CheckingANetworkOnBadDataFailsLikeTheNetwork()
    {
        Mlp net = Net();
        AssertArgumentException(() => GradientChecker.Check(net, M(2, 4), M(2, 2), Loss.HalfSumOfSquares), "inputs", "3 columns", "2 × 4");
        AssertArgumentException(() => GradientChecker.Check(net, M(2, 3), M(2, 3), Loss.HalfSumOfSquares), "targets", "2 × 2", "2 × 3");
    }

    private static string Describe(double value) => double.IsNaN(value) ? "NaN" : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
