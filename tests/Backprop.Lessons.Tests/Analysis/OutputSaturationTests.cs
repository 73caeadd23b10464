namespace Backprop.Lessons.Tests;

/// <summary>OutputSaturation.cs: one logistic output unit under the half sum of squares and under cross-entropy (lesson 05).</summary>
public sealed class OutputSaturationTests
{
    [Theory]
    [InlineData(-7.0, 1.0)]
    [InlineData(0.0, 1.0)]
    [InlineData(4.0, 0.0)]
    [InlineData(1.3, 0.25)]
    public void The_deltas_are_the_derived_formulas_and_match_a_central_difference_of_the_loss(double a, double t)
    {
        double y = 1 / (1 + Math.Exp(-a));
        var (squaredLoss, squared) = OutputSaturation.LossAndDelta(Loss.HalfSumOfSquares, a, t);
        var (crossLoss, cross) = OutputSaturation.LossAndDelta(Loss.SoftmaxCrossEntropy, a, t);

        Assert.Equal(0.5 * (y - t) * (y - t), squaredLoss, 14);
        Assert.Equal((y - t) * y * (1 - y), squared, 14);                        // (y − t) σ'(a)
        Assert.Equal(-(t * Math.Log(y)) - ((1 - t) * Math.Log(1 - y)), crossLoss, 12);   // the binary cross-entropy of σ(a)
        Assert.Equal(y - t, cross, 14);                                          // no σ'(a)
        foreach (var loss in new[] { Loss.HalfSumOfSquares, Loss.SoftmaxCrossEntropy })
        {
            double numerical = (OutputSaturation.LossAndDelta(loss, a + 1e-5, t).Loss - OutputSaturation.LossAndDelta(loss, a - 1e-5, t).Loss) / 2e-5;
            Assert.Equal(numerical, OutputSaturation.LossAndDelta(loss, a, t).Delta, 8);
        }
    }

    [Fact]
    public void A_confidently_wrong_unit_barely_moves_under_the_squared_error_and_fastest_under_cross_entropy()
    {
        double squared = OutputSaturation.LossAndDelta(Loss.HalfSumOfSquares, -7, 1).Delta;
        double cross = OutputSaturation.LossAndDelta(Loss.SoftmaxCrossEntropy, -7, 1).Delta;
        Assert.InRange(cross / squared, 1000, 1200);   // 1/σ'(−7) ≈ 1100

        var slow = OutputSaturation.Train(Loss.HalfSumOfSquares, 2, 2);
        var fast = OutputSaturation.Train(Loss.SoftmaxCrossEntropy, 2, 2);
        Assert.Equal(301, slow.Outputs.Count);
        Assert.Equal(301, slow.Losses.Count);
        Assert.Equal(1 / (1 + Math.Exp(-4)), slow.Outputs[0], 14);
        Assert.True(slow.StepsUntilWithin(0.5) > 5 * fast.StepsUntilWithin(0.5),
            $"the squared error needed {slow.StepsUntilWithin(0.5)} steps, cross-entropy {fast.StepsUntilWithin(0.5)}");
        Assert.Null(OutputSaturation.Train(Loss.HalfSumOfSquares, 2, 2, steps: 20).StepsUntilWithin(0.5));
        Assert.All(fast.Losses.Zip(fast.Losses.Skip(1)), pair => Assert.True(pair.Second < pair.First));
    }

    [Fact]
    public void One_step_is_gradient_descent_on_w_and_b_with_delta_times_input()
    {
        var run = OutputSaturation.Train(Loss.SoftmaxCrossEntropy, 0.5, -0.2, input: 2, target: 1, learningRate: 0.3, steps: 1);
        double y0 = 1 / (1 + Math.Exp(-(0.5 * 2 - 0.2)));
        double delta = y0 - 1;
        double a1 = ((0.5 - (0.3 * delta * 2)) * 2) + (-0.2 - (0.3 * delta));
        Assert.Equal(1 / (1 + Math.Exp(-a1)), run.Outputs[1], 14);
    }

    [Fact]
    public void Bad_arguments_are_refused_with_their_name()
    {
        Assert.Equal("target", Assert.ThrowsAny<ArgumentException>(() => OutputSaturation.LossAndDelta(Loss.SoftmaxCrossEntropy, 0, 1.5)).ParamName);
        Assert.Equal("a", Assert.ThrowsAny<ArgumentException>(() => OutputSaturation.LossAndDelta(Loss.HalfSumOfSquares, double.NaN, 0)).ParamName);
        Assert.Equal("learningRate", Assert.ThrowsAny<ArgumentException>(() => OutputSaturation.Train(Loss.HalfSumOfSquares, 1, 1, learningRate: 0)).ParamName);
        Assert.Equal("steps", Assert.ThrowsAny<ArgumentException>(() => OutputSaturation.Train(Loss.HalfSumOfSquares, 1, 1, steps: 0)).ParamName);
        Assert.Equal("distance", Assert.ThrowsAny<ArgumentException>(() => OutputSaturation.Train(Loss.HalfSumOfSquares, 1, 1, steps: 1).StepsUntilWithin(0)).ParamName);
        Assert.Throws<ArgumentNullException>(() => OutputSaturation.Train(null!, 1, 1));
    }
}
