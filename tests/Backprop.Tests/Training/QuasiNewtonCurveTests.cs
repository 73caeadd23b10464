namespace Backprop.Tests.Training;

public sealed class QuasiNewtonCurveTests
{
    public static TheoryData<CurveFunction, double> Bounds => new()
    {
        { CurveFunction.Square, 0.005 },
        { CurveFunction.Sine, 0.02 },
        { CurveFunction.AbsoluteValue, 0.03 },
        { CurveFunction.Heaviside, 0.1 },
    };

    /// <summary>PRML Fig. 5.3: 3 tanh hidden units fit x², sin(πx), |x| and H(x) on 50 random points.</summary>
    [Theory]
    [MemberData(nameof(Bounds))]
    public void DefaultsFitThePrmlCurves(CurveFunction function, double bound)
    {
        var errors = new List<double>();
        for (int seed = 0; seed <= 4; seed++)
        {
            Dataset data = Datasets.Curve(function, 50, seed);
            var net = new Mlp([1, 3, 1], Activation.Tanh, Activation.Identity, seed);
            TrainingHistory history = new QuasiNewton().Train(net, data, Loss.HalfSumOfSquares);
            Assert.Contains(history.StopCondition, new[] { StopCondition.Converged, StopCondition.IterationLimit });
            errors.Add(Metrics.RootMeanSquareError(net, data));
        }

        Assert.True(errors.Min() <= bound, $"Best RMS error for {function} over seeds 0–4 is {errors.Min()}, above {bound}; all: {string.Join(", ", errors)}.");
    }
}
