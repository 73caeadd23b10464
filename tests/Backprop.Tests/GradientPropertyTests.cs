using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests;

/// <summary>
/// Properties that must hold for every network, checked over seeded random shapes (depth 1–5,
/// widths 1–20), every activation and both losses: the gradient checker finds every layer's
/// backpropagated gradient good (norm-wise error ≤ 1e-7), and the batched matrix path equals
/// the sum of per-sample passes (L = Σ_n L_n, ∂L/∂w = Σ_n ∂L_n/∂w) to 1e-12 relative.
/// </summary>
public sealed class GradientPropertyTests
{
    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (string h in TestSupport.AllActivationNames)
        {
            foreach (string loss in new[] { "sse", "ce" })
            {
                for (int seed = 0; seed < 5; seed++)
                {
                    data.Add(h, loss, seed);
                }
            }
        }

        return data;
    }

    private static (Mlp Net, Loss Loss, Matrix<double> X, Matrix<double> T) MakeCase(string activation, string lossName, int seed, int samples)
    {
        var rng = new Random((seed * 7919) + (activation.Length * 131) + lossName.Length + (activation[^1] * 17));
        Activation h = TestSupport.ActivationByName(activation);
        Loss loss = TestSupport.LossByName(lossName);
        int depth = 1 + (seed % 5);                                     // depth 1–5
        int[] sizes = TestSupport.RandomSizes(rng, depth, 1, 20);     // widths 1–20
        if (seed == 4)
        {
            sizes = [.. sizes.Select(_ => 20)];                         // always one case at the largest shape
        }

        Mlp net = TestSupport.RandomNetwork(rng, sizes, h, loss, seed);
        foreach (Layer layer in net.Layers)
        {
            for (int j = 0; j < layer.UnitCount; j++)
            {
                layer.Weights[j, 0] = 0.2 * ((2.0 * rng.NextDouble()) - 1.0); // non-zero biases
            }
        }

        Matrix<double> x = TestSupport.RandomInputs(rng, samples, sizes[0], scale: 1.5);
        Matrix<double> t = TestSupport.RandomTargets(rng, samples, sizes[^1], loss, net.Layers[^1].Activation);
        return (net, loss, x, t);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientCheckerFindsEveryLayerGood(string activation, string lossName, int seed)
    {
        (Mlp net, Loss loss, Matrix<double> x, Matrix<double> t) = MakeCase(activation, lossName, seed, samples: 12);

        // Kinks: a central difference straddling a = 0 of a ReLU-family unit is not a derivative.
        // Keep only samples whose every kinked unit has |a| > 1e-3, a hundred times the step ε = 1e-5,
        // so no perturbation can cross a kink and the network is smooth around the checked point.
        if (net.Layers.Any(layer => TestSupport.HasKink(layer.Activation)))
        {
            (x, t) = AwayFromKinks(net, x, t, margin: 1e-3);
        }

        // A gradient check runs on a few samples (the lecture: "for a few examples"). The rounding noise
        // of a finite difference grows with the loss while the early layers' gradients of a deep sigmoid
        // network shrink (the vanishing gradient): the 20-wide, 5-layer logistic case sits near 6e-8.
        Assert.True(x.RowCount >= 3, $"only {x.RowCount} samples lie away from the kinks");
        x = x.SubMatrix(0, 3, 0, x.ColumnCount);
        t = t.SubMatrix(0, 3, 0, t.ColumnCount);

        var options = new GradientCheckOptions { MaxParametersPerBlock = 40, Seed = seed };
        GradientCheckReport report = GradientChecker.Check(net, x, t, loss, options);

        Assert.Equal(net.Layers.Count, report.Blocks.Count);
        foreach (GradientCheckBlock block in report.Blocks)
        {
            Assert.True(block.RelativeError <= 1e-7, $"{net}: {block.Name} has norm-wise error {block.RelativeError:E2}\n{report}");
            Assert.Equal(GradientVerdict.Good, block.Verdict);
        }

        Assert.True(report.Passed, report.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BatchedPathEqualsTheSumOfPerSamplePasses(string activation, string lossName, int seed)
    {
        (Mlp net, Loss loss, Matrix<double> x, Matrix<double> t) = MakeCase(activation, lossName, seed, samples: 9);
        const double Tolerance = 1e-12;

        BatchForwardPass batch = net.Forward(x);
        BatchGradients batched = net.Backward(batch, t, loss);
        (double loss2, Vector<double> gradient) = net.LossAndGradient(x, t, loss);

        double lossSum = 0.0;
        var sum = new Matrix<double>[net.Layers.Count];
        var absSum = new Matrix<double>[net.Layers.Count];
        for (int l = 0; l < net.Layers.Count; l++)
        {
            sum[l] = Matrix<double>.Build.Dense(net.Layers[l].UnitCount, net.Layers[l].InputCount + 1);
            absSum[l] = sum[l].Clone();
        }

        for (int n = 0; n < x.RowCount; n++)
        {
            ForwardPass pass = net.Forward(x.Row(n));
            Gradients g = net.Backward(pass, t.Row(n), loss);
            lossSum += g.Loss;
            for (int l = 0; l < net.Layers.Count; l++)
            {
                sum[l] += g.WeightGradient(l + 1);
                absSum[l] += g.WeightGradient(l + 1).PointwiseAbs();

                // The batch's stored a, z and δ of row n are this sample's.
                AssertRow(pass.A(l + 1), batch.A(l + 1).Row(n), Tolerance, $"a of layer {l}, sample {n}");
                AssertRow(pass.Z(l + 1), batch.Z(l + 1).Row(n), Tolerance, $"z of layer {l}, sample {n}");
                AssertRow(g.Delta(l + 1), batched.Delta(l + 1).Row(n), Tolerance, $"δ of layer {l}, sample {n}");
            }
        }

        TestSupport.AssertRelative(lossSum, batched.Loss, Tolerance, "L = Σ_n L_n (Backward)");
        TestSupport.AssertRelative(lossSum, loss2, Tolerance, "L = Σ_n L_n (LossAndGradient)");

        // Entry by entry, relative to Σ_n |∂L_n/∂w| — the scale of the rounding of any summation order —
        // and norm-wise per layer relative to ‖Σ_n ∂L_n/∂w‖.
        Vector<double> flatSum = ParameterOrderOf(sum);
        for (int l = 0; l < net.Layers.Count; l++)
        {
            for (int j = 0; j < sum[l].RowCount; j++)
            {
                for (int i = 0; i < sum[l].ColumnCount; i++)
                {
                    double error = Math.Abs(batched.WeightGradient(l + 1)[j, i] - sum[l][j, i]);
                    Assert.True(error <= Tolerance * absSum[l][j, i], $"∂L/∂w of layer {l} [{j}, {i}]: batched {batched.WeightGradient(l + 1)[j, i]:R}, summed {sum[l][j, i]:R}");
                }
            }

            double normError = (batched.WeightGradient(l + 1) - sum[l]).FrobeniusNorm();
            Assert.True(normError <= Tolerance * sum[l].FrobeniusNorm() || normError == 0.0, $"layer {l}: norm-wise difference {normError:E3}");
        }

        Vector<double> fromBackward = batched.ToVector();
        Vector<double> flatAbsSum = ParameterOrderOf(absSum);
        for (int p = 0; p < gradient.Count; p++)
        {
            Assert.True(Math.Abs(gradient[p] - flatSum[p]) <= Tolerance * flatAbsSum[p], $"LossAndGradient entry {p}");
            Assert.True(Math.Abs(gradient[p] - fromBackward[p]) <= Tolerance * flatAbsSum[p], $"LossAndGradient vs Backward entry {p}");
        }
    }

    [Fact]
    public void LossAndGradientReturnsAFreshVectorEveryCall()
    {
        var rng = new Random(5);
        var net = new Mlp([3, 4, 2], Activation.Tanh, Activation.Identity, seed: 5);
        Matrix<double> x = TestSupport.RandomInputs(rng, 4, 3);
        Matrix<double> t = TestSupport.RandomTargets(rng, 4, 2, Loss.HalfSumOfSquares);
        (double l1, Vector<double> g1) = net.LossAndGradient(x, t, Loss.HalfSumOfSquares);
        double[] copy = g1.ToArray();
        (double l2, Vector<double> g2) = net.LossAndGradient(x, t, Loss.HalfSumOfSquares);
        Assert.NotSame(g1, g2);
        g2.Clear();
        Assert.Equal(copy, g1.ToArray());
        Assert.Equal(l1, l2);
        Assert.Equal(net.ParameterCount, g1.Count);
    }

    [Fact]
    public void MlpKeepsNoPerPassState()
    {
        // Two passes in flight at once: the first pass's backward is unaffected by the second forward.
        var net = new Mlp([2, 5, 3], Activation.Logistic, Activation.Identity, seed: 9);
        Vector<double> x1 = Vector<double>.Build.DenseOfArray([0.3, -0.8]);
        Vector<double> x2 = Vector<double>.Build.DenseOfArray([-1.7, 2.1]);
        Vector<double> t = Vector<double>.Build.DenseOfArray([0.1, 0.2, 0.3]);
        double[] alone = net.Backward(net.Forward(x1), t, Loss.HalfSumOfSquares).ToVector().ToArray();
        ForwardPass p1 = net.Forward(x1);
        ForwardPass p2 = net.Forward(x2);
        Assert.NotSame(p1, p2);
        Assert.Equal(alone, net.Backward(p1, t, Loss.HalfSumOfSquares).ToVector().ToArray());
        Assert.NotEqual(alone, net.Backward(p2, t, Loss.HalfSumOfSquares).ToVector().ToArray());
    }

    [Fact]
    public void ForwardDoesNotAliasItsInput()
    {
        var net = new Mlp([2, 3], [Activation.Tanh], seed: 1);
        Vector<double> x = Vector<double>.Build.DenseOfArray([0.5, -0.5]);
        ForwardPass pass = net.Forward(x);
        x[0] = 100.0;
        Assert.Equal(0.5, pass.Input[0]);
    }

    internal static (Matrix<double> X, Matrix<double> T) AwayFromKinks(Mlp net, Matrix<double> x, Matrix<double> t, double margin)
    {
        BatchForwardPass pass = net.Forward(x);
        var keep = new List<int>();
        for (int n = 0; n < x.RowCount; n++)
        {
            bool clear = true;
            for (int l = 0; l < net.Layers.Count && clear; l++)
            {
                if (TestSupport.HasKink(net.Layers[l].Activation))
                {
                    clear = pass.A(l + 1).Row(n).AbsoluteMinimum() > margin;
                }
            }

            if (clear)
            {
                keep.Add(n);
            }
        }

        return (
            Matrix<double>.Build.DenseOfRowVectors(keep.Select(x.Row)),
            Matrix<double>.Build.DenseOfRowVectors(keep.Select(t.Row)));
    }

    private static void AssertRow(Vector<double> single, Vector<double> batchRow, double tolerance, string what)
    {
        Assert.Equal(single.Count, batchRow.Count);
        double scale = single.L2Norm();
        double error = (single - batchRow).L2Norm();
        Assert.True(error <= tolerance * scale || error == 0.0, $"{what}: per-sample {single} vs batch row {batchRow}");
    }

    private static Vector<double> ParameterOrderOf(Matrix<double>[] matrices) =>
        Vector<double>.Build.DenseOfEnumerable(matrices.SelectMany(m => Enumerable.Range(0, m.RowCount).SelectMany(j => m.Row(j).Enumerate())));
}
