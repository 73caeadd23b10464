namespace Backprop.Tests.Training;

/// <summary>The small problems the training tests share.</summary>
internal static class TrainingData
{
    /// <summary>The five optimisers with their default hyper-parameters, by name (for theories).</summary>
    public static IOptimizer Create(string name) => name switch
    {
        nameof(StochasticGradientDescent) => new StochasticGradientDescent(),
        nameof(MiniBatchGradientDescent) => new MiniBatchGradientDescent(),
        nameof(BatchGradientDescent) => new BatchGradientDescent(),
        nameof(ConjugateGradient) => new ConjugateGradient(),
        nameof(QuasiNewton) => new QuasiNewton(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown optimiser"),
    };

    public static TheoryData<string> OptimizerNames =>
    [
        nameof(StochasticGradientDescent),
        nameof(MiniBatchGradientDescent),
        nameof(BatchGradientDescent),
        nameof(ConjugateGradient),
        nameof(QuasiNewton),
    ];

    /// <summary>50 random points of sin(πx) on (−1, 1).</summary>
    public static Dataset Sine => Datasets.Curve(CurveFunction.Sine, 50, seed: 7);

    /// <summary>A 1-3-1 tanh network with a linear output, the lecture's curve fitter.</summary>
    public static Mlp CurveNet(int seed = 3) => new([1, 3, 1], Activation.Tanh, Activation.Identity, seed);

    /// <summary>The first 200 digits.</summary>
    public static Dataset DigitsSubset => Datasets.Digits().Take(200);

    /// <summary>A small 64-4-10 tanh classifier (310 parameters: cheap even for BFGS).</summary>
    public static Mlp DigitsNet(int seed = 5) => new([64, 4, 10], Activation.Tanh, Activation.Identity, seed);
}
