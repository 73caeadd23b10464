using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests;

/// <summary>
/// The gradient checker itself: it must catch a wrong backward pass and point at the broken
/// layer, sample parameters reproducibly, show why central differences beat forward ones, and
/// print a readable report.
/// </summary>
public sealed class GradientCheckerTests
{
    private static readonly int[] Sizes = [4, 6, 5, 3];

    private static (Mlp Net, Matrix<double> X, Matrix<double> T) TanhCase()
    {
        var rng = new Random(42);
        var net = new Mlp(Sizes, Activation.Tanh, Activation.Identity, seed: 42);
        Matrix<double> x = TestSupport.RandomInputs(rng, 4, Sizes[0], scale: 2.0);
        Matrix<double> t = TestSupport.RandomTargets(rng, 4, Sizes[^1], Loss.HalfSumOfSquares);
        return (net, x, t);
    }

    /// <summary>
    /// A lesson's deliberately broken backward pass: the deltas of weight layer <paramref name="broken"/>
    /// are computed as Σ_k w_kj δ_k without the factor h'(a_j) = 1 − z_j². Every layer from there
    /// towards the input inherits the wrong δ; the layers above it stay right.
    /// </summary>
    private static Func<Vector<double>, (double, Vector<double>)> BrokenObjective(Mlp net, Matrix<double> x, Matrix<double> t, int broken)
    {
        Mlp probe = net.Clone();
        return w =>
        {
            probe.SetParameters(w);
            BatchForwardPass pass = probe.Forward(x);
            int last = probe.Layers.Count - 1;
            var delta = new Matrix<double>[probe.Layers.Count];
            var grads = new Matrix<double>[probe.Layers.Count];
            delta[last] = pass.Outputs - t;                                       // δ_k = y_k − t_k (linear outputs)
            double loss = 0.5 * delta[last].PointwisePower(2.0).RowSums().Sum();
            for (int l = last; l >= 0; l--)
            {
                Matrix<double> withBias = pass.Z(l).InsertColumn(0, Vector<double>.Build.Dense(x.RowCount, 1.0));
                grads[l] = delta[l].TransposeThisAndMultiply(withBias);           // Σ_n δ_j z_i
                if (l > 0)
                {
                    Matrix<double> w1 = probe.Layers[l].Weights.RemoveColumn(0);
                    Matrix<double> back = delta[l] * w1;                            // Σ_k w_kj δ_k
                    Matrix<double> z = pass.Z(l);
                    delta[l - 1] = l - 1 == broken ? back : back.PointwiseMultiply(1.0 - z.PointwisePower(2.0));
                }
            }

            var flat = grads.SelectMany(g => Enumerable.Range(0, g.RowCount).SelectMany(j => g.Row(j).Enumerate()));
            return (loss, Vector<double>.Build.DenseOfEnumerable(flat));
        };
    }

    [Fact]
    public void TheHandWrittenBackwardPassIsRightWhenNothingIsBroken()
    {
        // The control: with no layer broken the same hand-written objective passes.
        (Mlp net, Matrix<double> x, Matrix<double> t) = TanhCase();
        GradientCheckReport report = GradientChecker.Check(BrokenObjective(net, x, t, broken: -1), net.GetParameters(), net.ParameterLayout);
        Assert.True(report.Passed, report.ToString());
        Assert.All(report.Blocks, b => Assert.Equal(GradientVerdict.Good, b.Verdict));
        Assert.Equal(net.ComputeLoss(x, t, Loss.HalfSumOfSquares), report.Loss, 12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void MissingDerivativeFactorIsCaughtInTheBrokenLayer(int broken)
    {
        (Mlp net, Matrix<double> x, Matrix<double> t) = TanhCase();
        GradientCheckReport report = GradientChecker.Check(BrokenObjective(net, x, t, broken), net.GetParameters(), net.ParameterLayout);

        // Layers 0 … broken get wrong deltas; the layers above are untouched.
        for (int l = 0; l < report.Blocks.Count; l++)
        {
            GradientVerdict expected = l <= broken ? GradientVerdict.Wrong : GradientVerdict.Good;
            Assert.True(expected == report.Blocks[l].Verdict, $"{report.Blocks[l].Name}: expected {expected}\n{report}");
        }

        Assert.False(report.Passed);
        Assert.Equal(GradientVerdict.Wrong, report.Verdict);
        Assert.True(report.MaxRelativeError > 1e-2);

        // The worst parameters all sit in the broken layers, and the report says so.
        string[] brokenNames = [.. Enumerable.Range(1, broken + 1).Select(l => "w" + Notation.Layer(l))];
        Assert.Equal(5, report.Worst.Count);
        Assert.All(report.Worst, e => Assert.Contains(e.Block, brokenNames));
        Assert.Equal(report.Entries.Max(e => e.RelativeError), report.Worst[0].RelativeError);
        string text = report.ToString();
        Assert.Contains("Wrong", text, StringComparison.Ordinal);
        Assert.Contains("worst parameters", text, StringComparison.Ordinal);
        Assert.Contains($"  {report.Worst[0].Name}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CorrectNetworkPassesAndIsLeftUnchanged()
    {
        (Mlp net, Matrix<double> x, Matrix<double> t) = TanhCase();
        double[] before = net.GetParameters().ToArray();
        GradientCheckReport report = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares);
        Assert.Equal(before, net.GetParameters().ToArray());
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(GradientVerdict.Good, report.Verdict);
        Assert.Equal(net.ParameterCount, report.Entries.Count);
        Assert.Equal(["w⁽¹⁾", "w⁽²⁾", "w⁽³⁾"], report.Blocks.Select(b => b.Name));
        Assert.Equal([30, 35, 18], report.Blocks.Select(b => b.ParameterCount));
        Assert.Equal([30, 35, 18], report.Blocks.Select(b => b.CheckedCount));
        Assert.Equal(net.ComputeLoss(x, t, Loss.HalfSumOfSquares), report.Loss, 12);

        // Every entry is placed and measured as documented.
        Vector<double> analytic = net.LossAndGradient(x, t, Loss.HalfSumOfSquares).Gradient;
        foreach (GradientCheckEntry e in report.Entries)
        {
            ParameterBlock block = net.ParameterLayout.Single(b => b.Name == e.Block);
            Assert.Equal(block.Position(e.Index), (e.Row, e.Column));
            Assert.Equal(analytic[e.Index], e.Analytic, 14);
            double expected = Math.Abs(e.Analytic - e.Numeric) / Math.Max(Math.Max(Math.Abs(e.Analytic), Math.Abs(e.Numeric)), 1e-8);
            Assert.Equal(expected, e.RelativeError, 15);
        }

        // Norm-wise errors: ‖g_a − g_n‖ / max(‖g_a‖, ‖g_n‖) per block.
        foreach (GradientCheckBlock b in report.Blocks)
        {
            GradientCheckEntry[] entries = [.. report.Entries.Where(e => e.Block == b.Name)];
            double diff = Math.Sqrt(entries.Sum(e => (e.Analytic - e.Numeric) * (e.Analytic - e.Numeric)));
            double na = Math.Sqrt(entries.Sum(e => e.Analytic * e.Analytic));
            double nn = Math.Sqrt(entries.Sum(e => e.Numeric * e.Numeric));
            Assert.Equal(na, b.AnalyticNorm, 14);
            Assert.Equal(nn, b.NumericNorm, 14);
            Assert.Equal(diff / Math.Max(na, nn), b.RelativeError, 15);
            Assert.Equal(entries.Max(e => e.RelativeError), b.WorstParameterError);
        }
    }

    [Fact]
    public void NumericalDerivativesMatchTheNetworksOwnLoss()
    {
        (Mlp net, Matrix<double> x, Matrix<double> t) = TanhCase();
        Mlp probe = net.Clone();
        double Loss(Vector<double> w)
        {
            probe.SetParameters(w);
            return probe.ComputeLoss(x, t, Backprop.Loss.HalfSumOfSquares);
        }

        Vector<double> numeric = GradientChecker.NumericalGradient(Loss, net.GetParameters());
        Vector<double> analytic = net.LossAndGradient(x, t, Backprop.Loss.HalfSumOfSquares).Gradient;
        Assert.True(TestSupport.NormRelativeError(analytic, numeric) < 1e-8);
        Assert.Equal(numeric[7], GradientChecker.Derivative(Loss, net.GetParameters(), 7));
    }

    [Fact]
    public void SamplingIsDeterministicFromTheSeed()
    {
        (Mlp net, Matrix<double> x, Matrix<double> t) = TanhCase();
        var options = new GradientCheckOptions { MaxParametersPerBlock = 7, Seed = 3 };
        GradientCheckReport first = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares, options);
        GradientCheckReport again = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares, options);
        GradientCheckReport other = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares, options with { Seed = 4 });

        Assert.Equal(first.Entries.Select(e => e.Index), again.Entries.Select(e => e.Index));
        Assert.Equal(first.Entries.Select(e => e.Numeric), again.Entries.Select(e => e.Numeric));
        Assert.NotEqual(first.Entries.Select(e => e.Index), other.Entries.Select(e => e.Index));

        foreach (ParameterBlock block in net.ParameterLayout)
        {
            int[] indices = [.. first.Entries.Where(e => e.Block == block.Name).Select(e => e.Index)];
            Assert.Equal(7, indices.Length);
            Assert.Equal(indices.Order(), indices);                               // sorted
            Assert.Equal(indices.Length, indices.Distinct().Count());             // without repetition
            Assert.All(indices, i => Assert.InRange(i, block.Offset, block.Offset + block.Count - 1));
            Assert.Equal(7, first.Blocks.Single(b => b.Name == block.Name).CheckedCount);
        }

        Assert.True(first.Passed, first.ToString());
        Assert.Contains("7/30", first.ToString(), StringComparison.Ordinal);

        // A limit above a block's size checks the whole block.
        GradientCheckReport all = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares, new GradientCheckOptions { MaxParametersPerBlock = 20 });
        Assert.Equal([20, 20, 18], all.Blocks.Select(b => b.CheckedCount));
    }

    [Fact]
    public void ForwardDifferencesAreLessAccurateThanCentral()
    {
        // On e^w at w = 1: central error ≈ ε²/6 · e ≈ 5e-11, forward error ≈ ε/2 · e ≈ 1.4e-5.
        Vector<double> w = Vector<double>.Build.DenseOfArray([1.0]);
        double central = GradientChecker.Derivative(v => Math.Exp(v[0]), w, 0);
        double forward = GradientChecker.Derivative(v => Math.Exp(v[0]), w, 0, 1e-5, FiniteDifference.Forward);
        Assert.True(Math.Abs(central - Math.E) < 1e-9, $"central {central}");
        Assert.InRange((forward - Math.E) / (0.5e-5 * Math.E), 0.9, 1.1);

        // On a network: the forward-difference check is orders of magnitude worse and not "good".
        (Mlp net, Matrix<double> x, Matrix<double> t) = TanhCase();
        GradientCheckReport c = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares);
        GradientCheckReport f = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares, new GradientCheckOptions { Method = FiniteDifference.Forward });
        Assert.True(f.MaxRelativeError > 100.0 * c.MaxRelativeError, $"forward {f.MaxRelativeError:E2} vs central {c.MaxRelativeError:E2}");
        Assert.NotEqual(GradientVerdict.Good, f.Verdict);
        Assert.Contains("Forward", f.ToString(), StringComparison.Ordinal);

        // The forward check through an arbitrary objective agrees with the one on the network.
        GradientCheckReport viaObjective = GradientChecker.Check(
            BrokenObjective(net, x, t, broken: -1), net.GetParameters(), net.ParameterLayout, new GradientCheckOptions { Method = FiniteDifference.Forward });
        Assert.InRange(viaObjective.MaxRelativeError / f.MaxRelativeError, 0.5, 2.0);
    }

    [Fact]
    public void AbsoluteFloorPreventsFalseAlarmsOnVanishingGradients()
    {
        // f(w) = w_0² + 1e-12 · w_1, but the "analytic" gradient reports ∂f/∂w_1 = 0: an error of
        // 1e-12 in a derivative that is itself negligible. Relative to the floor 1e-8 that is 1e-4.
        Func<Vector<double>, (double, Vector<double>)> objective = w =>
            ((w[0] * w[0]) + (1e-12 * w[1]), Vector<double>.Build.DenseOfArray([2.0 * w[0], 0.0]));
        Vector<double> at = Vector<double>.Build.DenseOfArray([1e-3, 0.5]);
        GradientCheckReport report = GradientChecker.Check(objective, at);
        Assert.Equal("w", Assert.Single(report.Blocks).Name);
        Assert.True(report.Entries[1].RelativeError < 1e-3, report.ToString());
        Assert.True(report.Passed, report.ToString());

        GradientCheckReport noFloor = GradientChecker.Check(objective, at, null, new GradientCheckOptions { AbsoluteFloor = 1e-20 });
        Assert.True(noFloor.Entries[1].RelativeError > 0.5, noFloor.ToString());
    }

    [Fact]
    public void QuadraticObjectiveIsCheckedExactly()
    {
        // f(w) = ½ wᵀAw with ∇f = Aw; central differences are exact for quadratics up to rounding.
        Matrix<double> a = Matrix<double>.Build.DenseOfArray(new[,] { { 3.0, 1.0, 0.0 }, { 1.0, 2.0, 0.5 }, { 0.0, 0.5, 1.0 } });
        Vector<double> w = Vector<double>.Build.DenseOfArray([0.3, -1.2, 2.0]);
        GradientCheckReport report = GradientChecker.Check(v => (0.5 * v.DotProduct(a * v), a * v), w,
            [new ParameterBlock("first", 0, 1, 1), new ParameterBlock("rest", 1, 1, 2)]);
        Assert.Equal(["first", "rest"], report.Blocks.Select(b => b.Name));
        Assert.All(report.Blocks, b => Assert.True(b.RelativeError < 1e-9));
        Assert.Equal(0.5 * w.DotProduct(a * w), report.Loss, 15);
        Assert.Equal((0, 1), (report.Entries[2].Row, report.Entries[2].Column));
    }

    [Fact]
    public void WorstCountLimitsTheNamedParameters()
    {
        (Mlp net, Matrix<double> x, Matrix<double> t) = TanhCase();
        GradientCheckReport report = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares, new GradientCheckOptions { WorstCount = 3 });
        Assert.Equal(3, report.Worst.Count);
        Assert.True(report.Worst[0].RelativeError >= report.Worst[1].RelativeError && report.Worst[1].RelativeError >= report.Worst[2].RelativeError);
        Assert.Empty(GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares, new GradientCheckOptions { WorstCount = 0 }).Worst);
    }

    [Theory]
    [InlineData(0.0, GradientVerdict.Good)]
    [InlineData(1e-7, GradientVerdict.Good)]
    [InlineData(1.1e-7, GradientVerdict.Acceptable)]
    [InlineData(1e-4, GradientVerdict.Acceptable)]
    [InlineData(1e-3, GradientVerdict.Suspicious)]
    [InlineData(1e-2, GradientVerdict.Suspicious)]
    [InlineData(0.02, GradientVerdict.Wrong)]
    [InlineData(double.NaN, GradientVerdict.Wrong)]
    public void VerdictThresholds(double error, GradientVerdict expected) => Assert.Equal(expected, GradientCheckReport.Judge(error));

    [Fact]
    public void ReportPrintsAsATable()
    {
        (Mlp net, Matrix<double> x, Matrix<double> t) = TanhCase();
        string text = GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares).ToString();
        string[] lines = text.Split('\n');
        Assert.StartsWith("Gradient check (Central differences, ε = 1E-05)", lines[0], StringComparison.Ordinal);
        Assert.Contains("rel. error", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("w⁽¹⁾", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("w⁽²⁾", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("w⁽³⁾", lines[4], StringComparison.Ordinal);
        Assert.All(lines[2..5], line => Assert.EndsWith("Good", line.TrimEnd(), StringComparison.Ordinal));
        Assert.Contains("30/30", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("verdict: Good", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 1, 2, "w⁽²⁾₁₂ (Layers[1].Weights[0, 2])")]
    [InlineData(1, 2, 1, "w⁽¹⁾₂₁ (Layers[0].Weights[1, 1])")]
    [InlineData(3, 2, 0, "w⁽³⁾₂₀ (Layers[2].Weights[1, 0])")]   // a bias: i = 0
    public void TheReportNamesAWeightAsTheLectureDoes(int l, int j, int i, string expected)
    {
        // A backward pass wrong in exactly one weight, w⁽ˡ⁾ⱼᵢ: the report's worst entry must name that weight in the
        // lecture's notation (units j and inputs i from 1, the bias i = 0) and give the C# index that reads it.
        (Mlp net, Matrix<double> x, Matrix<double> t) = TanhCase();
        IReadOnlyList<ParameterBlock> layout = net.ParameterLayout;
        ParameterBlock block = layout[l - 1];
        int index = block.Offset + ((j - 1) * block.Columns) + i;
        Assert.Equal(net.Layers[l - 1].Weights[j - 1, i], net.GetParameters()[index]);

        GradientCheckReport report = GradientChecker.Check(
            w =>
            {
                Mlp probe = net.Clone();
                probe.SetParameters(w);
                (double loss, Vector<double> gradient) = probe.LossAndGradient(x, t, Loss.HalfSumOfSquares);
                gradient[index] += 1.0;
                return (loss, gradient);
            },
            net.GetParameters(),
            layout);

        Assert.Equal(expected, report.Worst[0].Name);
        Assert.Equal(expected, Notation.WeightWithIndex(l, j, i));
        Assert.Contains($"  {expected}  analytic", report.ToString(), StringComparison.Ordinal);
        Assert.Equal("w" + Notation.Layer(l), report.Worst[0].Block);
    }
}
