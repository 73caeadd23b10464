using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests;

/// <summary>
/// The stored passes and gradients are numbered like the lecture's layers: A(l) = a⁽ˡ⁾, Delta(l) = δ⁽ˡ⁾ and
/// WeightGradient(l) = ∂L/∂w⁽ˡ⁾ for l = 1 … L, Z(l) = z⁽ˡ⁾ for l = 0 … L with z⁽⁰⁾ = x. Checked against the lecture's
/// equations written out here over seeded random shapes (depth 1–4, widths 1–9) and every activation, and the
/// single-sample and batched forms against each other; an l outside the range is refused with a message saying why.
/// </summary>
public sealed class LayerNumberingTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string h in TestSupport.AllActivationNames)
        {
            for (int seed = 0; seed < 4; seed++)
            {
                data.Add(h, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryLayerHoldsWhatTheLecturesEquationsGive(string activation, int seed)
    {
        var rng = new Random((seed * 131) + activation.Length + (activation[0] * 7));
        int[] sizes = TestSupport.RandomSizes(rng, 1 + (seed % 4), 1, 9);
        Activation h = TestSupport.ActivationByName(activation);
        var net = new Mlp(sizes, h, Activation.Identity, seed);
        int L = sizes.Length - 1;
        Matrix<double> x = TestSupport.RandomInputs(rng, 3, sizes[0], scale: 1.5);
        Matrix<double> t = TestSupport.RandomInputs(rng, 3, sizes[^1]);
        BatchForwardPass batch = net.Forward(x);
        BatchGradients batched = net.Backward(batch, t, Loss.HalfSumOfSquares);
        Assert.Equal(L, batch.LayerCount);
        Assert.Equal(L, batched.LayerCount);

        for (int n = 0; n < x.RowCount; n++)
        {
            ForwardPass pass = net.Forward(x.Row(n));
            Gradients g = net.Backward(pass, t.Row(n), Loss.HalfSumOfSquares);
            Assert.Equal(L, pass.LayerCount);
            Assert.Equal(L, g.LayerCount);
            Assert.Same(pass.Input, pass.Z(0));
            Assert.Same(pass.Output, pass.Z(L));
            Assert.Equal(x.Row(n), pass.Z(0));

            for (int l = 1; l <= L; l++)
            {
                // Forward: a⁽ˡ⁾ⱼ = Σ_{i=0} w⁽ˡ⁾ⱼᵢ z⁽ˡ⁻¹⁾ᵢ with z⁽ˡ⁻¹⁾₀ = 1, z⁽ˡ⁾ⱼ = h(a⁽ˡ⁾ⱼ); w⁽ˡ⁾ is Layers[l − 1].
                Layer layer = net.Layers[l - 1];
                Vector<double> input = WithBias(pass.Z(l - 1));
                AssertClose(layer.Weights * input, pass.A(l), $"a⁽{l}⁾");
                AssertClose(pass.A(l).Map(layer.Activation.Value), pass.Z(l), $"z⁽{l}⁾");

                // Backward: δ⁽ᴸ⁾ = y − t; δ⁽ˡ⁾ⱼ = h'(a⁽ˡ⁾ⱼ) Σ_k w⁽ˡ⁺¹⁾ₖⱼ δ⁽ˡ⁺¹⁾ₖ; ∂L/∂w⁽ˡ⁾ⱼᵢ = δ⁽ˡ⁾ⱼ z⁽ˡ⁻¹⁾ᵢ.
                Vector<double> delta = l == L
                    ? pass.Output - t.Row(n)
                    : pass.A(l).Map(layer.Activation.Derivative).PointwiseMultiply(
                        net.Layers[l].Weights.RemoveColumn(0).TransposeThisAndMultiply(g.Delta(l + 1)));
                AssertClose(delta, g.Delta(l), $"δ⁽{l}⁾");
                AssertClose(g.Delta(l).OuterProduct(input), g.WeightGradient(l), $"∂L/∂w⁽{l}⁾");
                Assert.Equal(layer.Weights.RowCount, g.WeightGradient(l).RowCount);
                Assert.Equal(layer.Weights.ColumnCount, g.WeightGradient(l).ColumnCount);

                // The batch holds the same numbers, one row per sample.
                AssertClose(pass.A(l), batch.A(l).Row(n), $"batch a⁽{l}⁾");
                AssertClose(pass.Z(l), batch.Z(l).Row(n), $"batch z⁽{l}⁾");
                AssertClose(g.Delta(l), batched.Delta(l).Row(n), $"batch δ⁽{l}⁾");
            }

            AssertClose(pass.Z(0), batch.Z(0).Row(n), "batch z⁽⁰⁾");

            // ToVector is WeightGradient(1), …, WeightGradient(L), each row by row (the parameter order).
            Vector<double> flat = Vector<double>.Build.DenseOfEnumerable(
                Enumerable.Range(1, L).SelectMany(l => g.WeightGradient(l).EnumerateRows().SelectMany(row => row)));
            Assert.Equal(flat, g.ToVector());
        }

        Assert.Same(batch.Inputs, batch.Z(0));
        Assert.Same(batch.Outputs, batch.Z(L));
        Assert.Equal(
            Enumerable.Range(1, L).SelectMany(l => batched.WeightGradient(l).EnumerateRows().SelectMany(row => row)),
            batched.ToVector());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(-1)]
    public void ALayerOutsideOneToLIsRefusedWithTheLecturesNumbering(int l)
    {
        var net = new Mlp([2, 3, 4, 1], Activation.Tanh, Activation.Identity, seed: 1);
        ForwardPass pass = net.Forward(Vector<double>.Build.Dense([0.5, -0.3]));
        Gradients g = net.Backward(pass, Vector<double>.Build.Dense([1.0]), Loss.HalfSumOfSquares);
        BatchForwardPass batch = net.Forward(Matrix<double>.Build.Dense(2, 2, 0.1));
        BatchGradients batched = net.Backward(batch, Matrix<double>.Build.Dense(2, 1, 0.0), Loss.HalfSumOfSquares);

        AssertRefused(() => pass.A(l), l, "A(l) takes l = 1 … 3", "a⁽ˡ⁾");
        AssertRefused(() => batch.A(l), l, "A(l) takes l = 1 … 3", "a⁽ˡ⁾");
        AssertRefused(() => g.Delta(l), l, "Delta(l) takes l = 1 … 3", "δ⁽ˡ⁾");
        AssertRefused(() => batched.Delta(l), l, "Delta(l) takes l = 1 … 3", "δ⁽ˡ⁾");
        AssertRefused(() => g.WeightGradient(l), l, "WeightGradient(l) takes l = 1 … 3", "∂L/∂w⁽ˡ⁾");
        AssertRefused(() => batched.WeightGradient(l), l, "WeightGradient(l) takes l = 1 … 3", "∂L/∂w⁽ˡ⁾");
        if (l != 0)
        {
            AssertRefused(() => pass.Z(l), l, "Z(l) takes l = 0 … 3", "z⁽ˡ⁾", "z⁽⁰⁾ = x");
            AssertRefused(() => batch.Z(l), l, "Z(l) takes l = 0 … 3", "z⁽ˡ⁾", "z⁽⁰⁾ = x");
        }
        else
        {
            Assert.Same(pass.Input, pass.Z(0));
            Assert.Same(batch.Inputs, batch.Z(0));
        }
    }

    [Theory]
    [InlineData(1, 1, 0, "w⁽¹⁾₁₀")]
    [InlineData(2, 1, 2, "w⁽²⁾₁₂")]
    [InlineData(3, 12, 4, "w⁽³⁾₁₂,₄")]     // two digits: a comma keeps j and i apart
    public void AWeightIsNamedAsTheLectureWritesIt(int l, int j, int i, string expected)
    {
        Assert.Equal(expected, Notation.Weight(l, j, i));
        Assert.Equal($"{expected} (Layers[{l - 1}].Weights[{j - 1}, {i}])", Notation.WeightWithIndex(l, j, i));
    }

    private static void AssertRefused(Func<object> read, int l, params string[] contains)
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => read());
        Assert.Equal("l", e.ParamName);
        Assert.Equal(l, e.ActualValue);
        foreach (string part in contains.Append("numbered as in the lecture").Append("Layers[0]"))
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertClose(Vector<double> expected, Vector<double> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= Tolerance * Math.Max(1.0, Math.Abs(expected[k])), $"{what}[{k}]: expected {expected[k]:R}, got {actual[k]:R}");
        }
    }

    private static void AssertClose(Matrix<double> expected, Matrix<double> actual, string what) =>
        AssertClose(Vector<double>.Build.DenseOfArray(expected.ToRowMajorArray()), Vector<double>.Build.DenseOfArray(actual.ToRowMajorArray()), what);

    private static Vector<double> WithBias(Vector<double> z) => Vector<double>.Build.DenseOfArray([1.0, .. z]);
}
