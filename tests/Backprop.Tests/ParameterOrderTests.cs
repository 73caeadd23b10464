using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests;

/// <summary>
/// The parameter vector: its documented order (layer by layer from the input, each weight matrix
/// row by row, column 0 the bias), the round trip Get → Set → Get, the layout that names the
/// blocks, cloning and determinism.
/// </summary>
public sealed class ParameterOrderTests
{
    // A 3-4-2 network: w⁽¹⁾ is 4 × (3 + 1) = 16 parameters at 0…15, w⁽²⁾ is 2 × (4 + 1) = 10 at 16…25.
    private static Mlp Net() => new([3, 4, 2], Activation.Tanh, Activation.Identity, seed: 21);

    /// <summary>Index of w_ji of weight layer l, computed by hand from the documented order.</summary>
    private static int IndexOf(int[] sizes, int l, int j, int i)
    {
        int offset = 0;
        for (int m = 0; m < l; m++)
        {
            offset += sizes[m + 1] * (sizes[m] + 1);   // units × (inputs + 1) of every earlier layer
        }

        return offset + (j * (sizes[l] + 1)) + i;        // row j of this layer, then column i (0 = bias)
    }

    [Fact]
    public void CountsAndLayoutOfTheDocumentedOrder()
    {
        Mlp net = Net();
        Assert.Equal(26, net.ParameterCount);
        Assert.Equal([3, 4, 2], net.LayerSizes);
        Assert.Equal(3, net.InputCount);
        Assert.Equal(2, net.OutputCount);
        Assert.Equal(4, net.Layers[0].Weights.RowCount);
        Assert.Equal(4, net.Layers[0].Weights.ColumnCount);
        Assert.Equal(2, net.Layers[1].Weights.RowCount);
        Assert.Equal(5, net.Layers[1].Weights.ColumnCount);
        Assert.Equal(3, net.Layers[0].InputCount);
        Assert.Equal(4, net.Layers[0].UnitCount);

        IReadOnlyList<ParameterBlock> layout = net.ParameterLayout;
        Assert.Equal(new ParameterBlock("w⁽¹⁾", 0, 4, 4, Layer: 1), layout[0]);
        Assert.Equal(new ParameterBlock("w⁽²⁾", 16, 2, 5, Layer: 2), layout[1]);
        Assert.Equal(16, layout[0].Count);
        Assert.Equal(10, layout[1].Count);
        Assert.Equal((1, 2), layout[1].Position(16 + 7));   // 7 = row 1 · 5 columns + column 2
        Assert.Equal((0, 0), layout[0].Position(0));
        Assert.Equal((3, 3), layout[0].Position(15));
    }

    [Fact]
    public void EveryWeightSitsAtItsHandComputedIndex()
    {
        int[] sizes = [3, 4, 2, 3];
        var net = new Mlp(sizes, Activation.Logistic, Activation.Identity, seed: 4);

        // Write a distinct value into every weight through the matrices, read it back from the vector.
        for (int l = 0; l < net.Layers.Count; l++)
        {
            Matrix<double> w = net.Layers[l].Weights;
            for (int j = 0; j < w.RowCount; j++)
            {
                for (int i = 0; i < w.ColumnCount; i++)
                {
                    w[j, i] = (1000 * (l + 1)) + (10 * j) + i;
                }
            }
        }

        Vector<double> p = net.GetParameters();
        Assert.Equal(16 + 10 + 9, p.Count);
        for (int l = 0; l < net.Layers.Count; l++)
        {
            for (int j = 0; j < sizes[l + 1]; j++)
            {
                for (int i = 0; i <= sizes[l]; i++)
                {
                    Assert.Equal((1000 * (l + 1)) + (10 * j) + i, p[IndexOf(sizes, l, j, i)]);
                }
            }
        }

        // Spot checks written out: w⁽²⁾_{k=1, j=2} of the second layer (row 1, column 2) is index 16 + 1·5 + 2 = 23;
        // the bias of unit 2 of the third layer is index 16 + 10 + 2·3 + 0 = 32.
        Assert.Equal(2012, p[23]);
        Assert.Equal(3020, p[32]);
    }

    [Fact]
    public void SetParametersFillsTheMatricesInTheSameOrder()
    {
        int[] sizes = [3, 4, 2];
        Mlp net = Net();
        for (int index = 0; index < net.ParameterCount; index++)
        {
            Vector<double> unit = Vector<double>.Build.Dense(net.ParameterCount);
            unit[index] = 1.0;
            net.SetParameters(unit);
            for (int l = 0; l < 2; l++)
            {
                for (int j = 0; j < sizes[l + 1]; j++)
                {
                    for (int i = 0; i <= sizes[l]; i++)
                    {
                        Assert.Equal(IndexOf(sizes, l, j, i) == index ? 1.0 : 0.0, net.Layers[l].Weights[j, i]);
                    }
                }
            }
        }
    }

    [Fact]
    public void BiasIsColumnZeroAndMultipliesTheConstantInput()
    {
        // Only biases set: every output is its bias whatever the input (x_0 = z_0 = 1 feeds column 0).
        var net = new Mlp([2, 3, 2], Activation.Identity, Activation.Identity, seed: 1);
        net.SetParameters(Vector<double>.Build.Dense(net.ParameterCount));
        net.Layers[1].Weights[0, 0] = 0.75;
        net.Layers[1].Weights[1, 0] = -1.5;
        Vector<double> y = net.Predict(Vector<double>.Build.DenseOfArray([123.0, -45.0]));
        Assert.Equal([0.75, -1.5], y.ToArray());
        Assert.Equal([0.75, -1.5], net.Layers[1].Biases.ToArray());
    }

    [Fact]
    public void GradientVectorUsesTheParameterOrder()
    {
        var rng = new Random(3);
        var net = new Mlp([3, 5, 4, 2], Activation.Tanh, Activation.Identity, seed: 8);
        Matrix<double> x = TestSupport.RandomInputs(rng, 5, 3);
        Matrix<double> t = TestSupport.RandomTargets(rng, 5, 2, Loss.HalfSumOfSquares);
        BatchGradients g = net.Backward(net.Forward(x), t, Loss.HalfSumOfSquares);
        Vector<double> flat = net.LossAndGradient(x, t, Loss.HalfSumOfSquares).Gradient;
        Vector<double> fromMatrices = g.ToVector();
        int[] sizes = [3, 5, 4, 2];
        for (int l = 0; l < 3; l++)
        {
            Assert.Equal(net.Layers[l].Weights.RowCount, g.WeightGradient(l + 1).RowCount);
            Assert.Equal(net.Layers[l].Weights.ColumnCount, g.WeightGradient(l + 1).ColumnCount);
            for (int j = 0; j < sizes[l + 1]; j++)
            {
                for (int i = 0; i <= sizes[l]; i++)
                {
                    Assert.Equal(g.WeightGradient(l + 1)[j, i], fromMatrices[IndexOf(sizes, l, j, i)]);
                    Assert.Equal(g.WeightGradient(l + 1)[j, i], flat[IndexOf(sizes, l, j, i)], 1e-12);
                }
            }
        }

        // The single-sample gradient has the same order.
        Gradients single = net.Backward(net.Forward(x.Row(0)), t.Row(0), Loss.HalfSumOfSquares);
        Assert.Equal(single.WeightGradient(3)[1, 3], single.ToVector()[IndexOf(sizes, 2, 1, 3)]);
    }

    [Fact]
    public void RoundTripGetSetGet()
    {
        var net = new Mlp([4, 7, 3, 5], Activation.Elu(), Activation.Logistic, seed: 17);
        Vector<double> first = net.GetParameters();
        var other = new Mlp([4, 7, 3, 5], Activation.Elu(), Activation.Logistic, seed: 99);
        Assert.NotEqual(first.ToArray(), other.GetParameters().ToArray());
        other.SetParameters(first);
        Assert.Equal(first.ToArray(), other.GetParameters().ToArray());
        Assert.Equal(net.Predict(Vector<double>.Build.DenseOfArray([0.1, 0.2, 0.3, 0.4])).ToArray(),
            other.Predict(Vector<double>.Build.DenseOfArray([0.1, 0.2, 0.3, 0.4])).ToArray());

        // Arbitrary values survive exactly, and the vectors are copies, not views.
        var rng = new Random(2);
        Vector<double> w = Vector<double>.Build.Dense(net.ParameterCount, _ => rng.NextDouble() - 0.5);
        net.SetParameters(w);
        Vector<double> back = net.GetParameters();
        Assert.Equal(w.ToArray(), back.ToArray());
        double keep = w[5];
        w[5] = 42.0;
        back[6] = 43.0;
        Assert.Equal(keep, net.GetParameters()[5]);
        Assert.NotEqual(43.0, net.GetParameters()[6]);
    }

    [Fact]
    public void SetWeightsCopiesAndInPlaceEditsAreSeen()
    {
        Mlp net = Net();
        Matrix<double> w = Matrix<double>.Build.Dense(2, 5, (j, i) => j + (0.1 * i));
        net.Layers[1].SetWeights(w);
        w[0, 0] = 99.0;
        Assert.Equal(0.0, net.Layers[1].Weights[0, 0]);
        Assert.Equal(1.4, net.GetParameters()[16 + 5 + 4], 15);
        net.Layers[1].Weights[1, 4] = 7.0;                  // an in-place edit changes the network
        Assert.Equal(7.0, net.GetParameters()[25]);
    }

    [Fact]
    public void CloneIsIndependent()
    {
        Mlp net = Net();
        Mlp clone = net.Clone();
        Assert.NotSame(net, clone);
        Assert.Equal(net.GetParameters().ToArray(), clone.GetParameters().ToArray());
        Assert.Equal(net.LayerSizes, clone.LayerSizes);
        Assert.Same(net.Layers[0].Activation, clone.Layers[0].Activation);
        Assert.NotSame(net.Layers[0].Weights, clone.Layers[0].Weights);

        clone.Layers[0].Weights[1, 1] += 1.0;
        Assert.NotEqual(net.Layers[0].Weights[1, 1], clone.Layers[0].Weights[1, 1]);
        net.SetParameters(Vector<double>.Build.Dense(net.ParameterCount, 0.5));
        Assert.NotEqual(0.5, clone.Layers[1].Weights[0, 3]);
    }

    [Fact]
    public void SameSeedSameNetworkDifferentSeedDifferentNetwork()
    {
        int[] sizes = [5, 8, 8, 3];
        Activation[] h = [Activation.ReLU, Activation.Tanh, Activation.Identity];
        Assert.Equal(new Mlp(sizes, h, seed: 7).GetParameters().ToArray(), new Mlp(sizes, h, seed: 7).GetParameters().ToArray());
        Assert.NotEqual(new Mlp(sizes, h, seed: 7).GetParameters().ToArray(), new Mlp(sizes, h, seed: 8).GetParameters().ToArray());
        foreach (Initialisation init in new[] { Initialisation.LeCun, Initialisation.He, Initialisation.Glorot, Initialisation.Normal(0.3) })
        {
            Assert.Equal(new Mlp(sizes, h, 11, init).GetParameters().ToArray(), new Mlp(sizes, h, 11, init).GetParameters().ToArray());
            Assert.NotEqual(new Mlp(sizes, h, 11, init).GetParameters().ToArray(), new Mlp(sizes, h, 12, init).GetParameters().ToArray());
        }
    }

    [Fact]
    public void BothConstructorsAgree()
    {
        var spread = new Mlp([3, 6, 6, 2], Activation.Tanh, Activation.Logistic, seed: 5);
        var listed = new Mlp([3, 6, 6, 2], [Activation.Tanh, Activation.Tanh, Activation.Logistic], seed: 5);
        Assert.Equal(listed.GetParameters().ToArray(), spread.GetParameters().ToArray());
        Assert.Equal([Activation.Tanh, Activation.Tanh, Activation.Logistic], spread.Layers.Select(layer => layer.Activation));
    }

    [Fact]
    public void DescriptionsNameTheShape()
    {
        Mlp net = Net();
        Assert.Contains("3-4-2", net.ToString(), StringComparison.Ordinal);
        Assert.Contains("26 parameters", net.ToString(), StringComparison.Ordinal);
        Assert.Equal("Layer 3 → 4 (tanh)", net.Layers[0].ToString());
    }
}
