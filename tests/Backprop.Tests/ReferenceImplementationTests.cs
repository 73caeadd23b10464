using Backprop.Tests.Reference;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests;

/// <summary>
/// The strongest proof of the backward pass: on random networks of every activation and both
/// losses, the kit's backpropagated gradients equal the derivatives of an independent
/// implementation (<see cref="ReferenceMlp"/>, forward-mode automatic differentiation written
/// from the lecture's formulas) to 1e-10 relative. Any slip in δ, in h', in the bias convention
/// (column 0, z_0 = 1) or in the parameter order shows up here.
/// </summary>
public sealed class ReferenceImplementationTests
{
    private const double Tolerance = 1e-10;

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (string h in TestSupport.AllActivationNames)
        {
            foreach (string loss in new[] { "sse", "ce" })
            {
                for (int seed = 0; seed < 6; seed++)
                {
                    data.Add(h, loss, seed);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void LossAndGradientMatchesAutomaticDifferentiation(string activation, string lossName, int seed)
    {
        (Mlp net, Loss loss, Matrix<double> x, Matrix<double> t) = MakeCase(activation, lossName, seed, samples: 3);
        var reference = new ReferenceMlp([.. net.LayerSizes], [.. net.Layers.Select(layer => layer.Activation)]);
        Assert.Equal(net.ParameterCount, reference.ParameterCount);

        (double value, Vector<double> gradient) = net.LossAndGradient(x, t, loss);
        (double referenceLoss, double[] referenceGradient) =
            reference.LossAndGradient(net.GetParameters().ToArray(), Rows(x), Rows(t), ReferenceEquals(loss, Loss.SoftmaxCrossEntropy));

        AssertGradientsAgree(net, referenceLoss, referenceGradient, value, gradient);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PerSampleBackwardMatchesAutomaticDifferentiation(string activation, string lossName, int seed)
    {
        (Mlp net, Loss loss, Matrix<double> x, Matrix<double> t) = MakeCase(activation, lossName, seed, samples: 2);
        var reference = new ReferenceMlp([.. net.LayerSizes], [.. net.Layers.Select(layer => layer.Activation)]);
        bool softmax = ReferenceEquals(loss, Loss.SoftmaxCrossEntropy);
        double[] w = net.GetParameters().ToArray();

        for (int n = 0; n < x.RowCount; n++)
        {
            Gradients g = net.Backward(net.Forward(x.Row(n)), t.Row(n), loss);
            (double referenceLoss, double[] referenceGradient) = reference.LossAndGradient(w, [x.Row(n).ToArray()], [t.Row(n).ToArray()], softmax);
            AssertGradientsAgree(net, referenceLoss, referenceGradient, g.Loss, g.ToVector());

            // The deltas are the bias derivatives: ∂L_n/∂w_j0 = δ_j · 1, so the reference's bias
            // entries check every δ of every layer too.
            IReadOnlyList<ParameterBlock> layout = net.ParameterLayout;
            for (int l = 0; l < net.Layers.Count; l++)
            {
                for (int j = 0; j < layout[l].Rows; j++)
                {
                    double expected = referenceGradient[layout[l].Offset + (j * layout[l].Columns)];
                    TestSupport.AssertRelative(expected, g.Delta(l + 1)[j], Tolerance, $"δ of unit {j} of layer {l}", floor: 1e-300);
                }
            }
        }
    }

    [Fact]
    public void TheReferenceItselfAgreesWithCentralDifferences()
    {
        // Guards the guard: the dual-number reference must be right before it can judge the kit.
        var rng = new Random(7);
        foreach (string activation in TestSupport.SmoothActivationNames)
        {
            Activation h = TestSupport.ActivationByName(activation);
            int[] sizes = [3, 4, 2];
            var reference = new ReferenceMlp(sizes, [h, Activation.Identity]);
            double[] w = [.. Enumerable.Range(0, reference.ParameterCount).Select(_ => rng.NextDouble() - 0.5)];
            double[][] x = [[0.3, -0.7, 1.1], [-0.4, 0.2, 0.9]];
            double[][] t = [[1.0, 0.0], [0.0, 1.0]];
            foreach (bool softmax in new[] { false, true })
            {
                (_, double[] gradient) = reference.LossAndGradient(w, x, t, softmax);
                for (int p = 0; p < w.Length; p++)
                {
                    double[] plus = (double[])w.Clone(), minus = (double[])w.Clone();
                    plus[p] += 1e-5;
                    minus[p] -= 1e-5;
                    double numeric = (reference.Loss(plus, -1, x, t, softmax).V - reference.Loss(minus, -1, x, t, softmax).V) / 2e-5;
                    Assert.True(Math.Abs(numeric - gradient[p]) <= 1e-8, $"{activation}, softmax {softmax}, parameter {p}: AD {gradient[p]} vs numeric {numeric}");
                }
            }
        }
    }

    internal static (Mlp Net, Loss Loss, Matrix<double> X, Matrix<double> T) MakeCase(string activation, string lossName, int seed, int samples)
    {
        // A stable seed per case: string.GetHashCode is randomised per process, so it must not pick the case.
        var rng = new Random(1000 + (seed * 31) + (activation.Sum(c => (int)c) % 97) + lossName.Length);
        Activation h = TestSupport.ActivationByName(activation);
        Loss loss = TestSupport.LossByName(lossName);
        int depth = 1 + (seed % 4);                                    // depth 1–4, every depth for every activation
        int[] sizes = TestSupport.RandomSizes(rng, depth, 1, 8);
        Mlp net = TestSupport.RandomNetwork(rng, sizes, h, loss, seed);

        // Random, non-zero biases: initialisation leaves them 0, which would hide a wrong bias convention.
        foreach (Layer layer in net.Layers)
        {
            for (int j = 0; j < layer.UnitCount; j++)
            {
                layer.Weights[j, 0] = (rng.NextDouble() - 0.5) * 0.8;
            }
        }

        Matrix<double> x = TestSupport.RandomInputs(rng, samples, sizes[0], scale: 1.5);
        Matrix<double> t = TestSupport.RandomTargets(rng, samples, sizes[^1], loss, net.Layers[^1].Activation);
        return (net, loss, x, t);
    }

    private static void AssertGradientsAgree(Mlp net, double referenceLoss, double[] referenceGradient, double loss, Vector<double> gradient)
    {
        TestSupport.AssertRelative(referenceLoss, loss, Tolerance, "loss", floor: 1e-300);
        Assert.Equal(referenceGradient.Length, gradient.Count);
        foreach (ParameterBlock block in net.ParameterLayout)
        {
            for (int index = block.Offset; index < block.Offset + block.Count; index++)
            {
                (int row, int column) = block.Position(index);
                TestSupport.AssertRelative(referenceGradient[index], gradient[index], Tolerance, $"∂L/∂w of {block.Name}[{row}, {column}]", floor: 1e-300);
            }
        }
    }

    private static double[][] Rows(Matrix<double> m) => [.. Enumerable.Range(0, m.RowCount).Select(n => m.Row(n).ToArray())];
}
