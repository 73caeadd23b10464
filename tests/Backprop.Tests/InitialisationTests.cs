namespace Backprop.Tests;

/// <summary>
/// Weight initialisation: LeCun σ_w = fan_in^(−1/2), He σ_w = (2/fan_in)^(1/2), Glorot's
/// U(−r, r) with r = √6/√(fan_in + fan_out), a plain N(0, σ²); fan_in without the bias; biases 0;
/// He for the ReLU family and LeCun otherwise by default.
/// </summary>
public sealed class InitialisationTests
{
    private const int FanIn = 400, FanOut = 500; // 200 000 weights: the sample σ is within ~0.2 % of the true one

    private static double[] WeightsWithoutBias(Layer layer) =>
        [.. Enumerable.Range(0, layer.UnitCount).SelectMany(j => Enumerable.Range(1, layer.InputCount).Select(i => layer.Weights[j, i]))];

    private static (double Mean, double Std) Moments(double[] w)
    {
        double mean = w.Average();
        double variance = w.Sum(v => (v - mean) * (v - mean)) / (w.Length - 1);
        return (mean, Math.Sqrt(variance));
    }

    [Theory]
    [InlineData("LeCun")]
    [InlineData("He")]
    [InlineData("Normal")]
    public void NormalInitialisationsHaveTheirStandardDeviation(string name)
    {
        (Initialisation init, double sigma) = name switch
        {
            "LeCun" => (Initialisation.LeCun, 1.0 / Math.Sqrt(FanIn)),     // 0.05
            "He" => (Initialisation.He, Math.Sqrt(2.0 / FanIn)),           // 0.0707
            _ => (Initialisation.Normal(0.3), 0.3),
        };
        Assert.Equal(sigma, init.Scale(FanIn, FanOut), 15);
        Assert.Equal(sigma, init.StandardDeviation(FanIn, FanOut), 15);
        Assert.False(init.IsUniform);

        var net = new Mlp([FanIn, FanOut], [Activation.Tanh], seed: 1, init);
        (double mean, double std) = Moments(WeightsWithoutBias(net.Layers[0]));
        Assert.InRange(std / sigma, 0.98, 1.02);
        Assert.InRange(Math.Abs(mean), 0.0, 5.0 * sigma / Math.Sqrt(FanIn * FanOut));

        // Normal, not uniform: about 68.3 % within one σ, some beyond 3σ.
        double[] w = WeightsWithoutBias(net.Layers[0]);
        double withinOne = w.Count(v => Math.Abs(v) <= sigma) / (double)w.Length;
        Assert.InRange(withinOne, 0.675, 0.69);
        Assert.Contains(w, v => Math.Abs(v) > 3.5 * sigma);
    }

    [Fact]
    public void GlorotIsUniformWithinPlusMinusR()
    {
        double r = Math.Sqrt(6.0 / (FanIn + FanOut));                        // √6 / √900 ≈ 0.0816
        Assert.Equal(r, Initialisation.Glorot.Scale(FanIn, FanOut), 15);
        Assert.Equal(r / Math.Sqrt(3.0), Initialisation.Glorot.StandardDeviation(FanIn, FanOut), 15);
        Assert.True(Initialisation.Glorot.IsUniform);

        var net = new Mlp([FanIn, FanOut], [Activation.Tanh], seed: 2, Initialisation.Glorot);
        double[] w = WeightsWithoutBias(net.Layers[0]);
        Assert.All(w, v => Assert.InRange(v, -r, r));
        Assert.True(w.Max() > 0.999 * r && w.Min() < -0.999 * r, "the draws should fill (−r, r)");
        (double mean, double std) = Moments(w);
        Assert.InRange(std / (r / Math.Sqrt(3.0)), 0.98, 1.02);
        Assert.InRange(Math.Abs(mean), 0.0, 5.0 * r / Math.Sqrt(3.0 * FanIn * FanOut));

        // Uniform: a quarter of the draws in each quarter of the interval.
        double inner = w.Count(v => Math.Abs(v) <= r / 2.0) / (double)w.Length;
        Assert.InRange(inner, 0.49, 0.51);
    }

    [Fact]
    public void FanInExcludesTheBiasAndFanOutIsTheUnits()
    {
        // A 10 → 3 layer has a 3 × 11 weight matrix, but its fan_in is 10 (σ_w = 10^(−1/2)), fan_out 3.
        var net = new Mlp([10, 3], [Activation.Tanh], seed: 1, Initialisation.Glorot);
        double r = Math.Sqrt(6.0 / 13.0);
        Assert.All(WeightsWithoutBias(net.Layers[0]), v => Assert.InRange(v, -r, r));
        Assert.Equal(1.0 / Math.Sqrt(10.0), Initialisation.LeCun.Scale(10, 3), 15);

        // Per layer: in 400-300-200 the second layer uses fan_in 300.
        var deep = new Mlp([400, 300, 200], Activation.Tanh, Activation.Tanh, seed: 3, Initialisation.LeCun);
        Assert.InRange(Moments(WeightsWithoutBias(deep.Layers[1])).Std * Math.Sqrt(300.0), 0.98, 1.02);
    }

    [Theory]
    [InlineData("LeCun")]
    [InlineData("He")]
    [InlineData("Glorot")]
    [InlineData("Normal")]
    [InlineData("default")]
    public void BiasesStartAtZero(string name)
    {
        Initialisation? init = name switch
        {
            "LeCun" => Initialisation.LeCun,
            "He" => Initialisation.He,
            "Glorot" => Initialisation.Glorot,
            "Normal" => Initialisation.Normal(1.0),
            _ => null,
        };
        var net = new Mlp([6, 9, 4, 3], Activation.ReLU, Activation.Identity, seed: 4, init);
        foreach (Layer layer in net.Layers)
        {
            Assert.All(layer.Biases, b => Assert.Equal(0.0, b));
            Assert.Contains(WeightsWithoutBias(layer), v => v != 0.0);
        }
    }

    [Fact]
    public void DefaultIsHeForTheReLUFamilyAndLeCunOtherwise()
    {
        Assert.Same(Initialisation.He, Initialisation.DefaultFor(Activation.ReLU));
        Assert.Same(Initialisation.He, Initialisation.DefaultFor(Activation.LeakyReLU(0.2)));
        Assert.Same(Initialisation.He, Initialisation.DefaultFor(Activation.Elu(1.5)));
        Assert.Same(Initialisation.LeCun, Initialisation.DefaultFor(Activation.Logistic));
        Assert.Same(Initialisation.LeCun, Initialisation.DefaultFor(Activation.Tanh));
        Assert.Same(Initialisation.LeCun, Initialisation.DefaultFor(Activation.Identity));

        // Layer by layer in a network: the weights drawn by default equal the ones drawn with the
        // named scheme from the same seed (every scheme consumes one normal draw per weight).
        int[] sizes = [300, 200, 100, 10];
        Activation[] h = [Activation.ReLU, Activation.Tanh, Activation.Elu()];
        var byDefault = new Mlp(sizes, h, seed: 6);
        var allHe = new Mlp(sizes, h, seed: 6, Initialisation.He);
        var allLeCun = new Mlp(sizes, h, seed: 6, Initialisation.LeCun);
        Assert.Equal(allHe.Layers[0].Weights.ToArray(), byDefault.Layers[0].Weights.ToArray());
        Assert.Equal(allLeCun.Layers[1].Weights.ToArray(), byDefault.Layers[1].Weights.ToArray());
        Assert.Equal(allHe.Layers[2].Weights.ToArray(), byDefault.Layers[2].Weights.ToArray());

        // And their spread is the documented one: He √(2/300) for the ReLU layer, LeCun 1/√200 for tanh.
        Assert.InRange(Moments(WeightsWithoutBias(byDefault.Layers[0])).Std / Math.Sqrt(2.0 / 300.0), 0.98, 1.02);
        Assert.InRange(Moments(WeightsWithoutBias(byDefault.Layers[1])).Std / Math.Sqrt(1.0 / 200.0), 0.98, 1.02);
    }

    [Fact]
    public void NamesOfTheSchemes()
    {
        Assert.Equal("LeCun", Initialisation.LeCun.Name);
        Assert.Equal("He", Initialisation.He.ToString());
        Assert.Equal("Glorot", Initialisation.Glorot.Name);
        Assert.Equal("N(0, 0.5²)", Initialisation.Normal(0.5).Name);
    }

    [Fact]
    public void SeededGaussianIsReproducibleAndStandard()
    {
        var a = new Gaussian(123);
        var b = new Gaussian(123);
        var draws = new double[100_000];
        for (int i = 0; i < draws.Length; i++)
        {
            draws[i] = a.NextStandardNormal();
            Assert.Equal(draws[i], b.NextStandardNormal());
        }

        (double mean, double std) = Moments(draws);
        Assert.InRange(mean, -0.015, 0.015);
        Assert.InRange(std, 0.99, 1.01);
        Assert.All(draws, v => Assert.True(double.IsFinite(v)));
        Assert.NotEqual(draws[0], draws[1]);
        Assert.NotEqual(draws[0], new Gaussian(124).NextStandardNormal());
    }
}
