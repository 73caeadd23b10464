namespace Backprop.Lessons.Charts.Tests;

/// <summary>LossCharts.cs: lesson 05's one logistic unit learning under each loss.</summary>
public sealed class LossChartsTests
{
    [Fact]
    public void OutputSaturation_draws_y_of_every_run_coloured_by_loss_dashed_for_the_second_start_and_the_target()
    {
        var runs = new[]
        {
            OutputSaturation.Train(Loss.HalfSumOfSquares, 0.6, 0.9, steps: 10),
            OutputSaturation.Train(Loss.SoftmaxCrossEntropy, 0.6, 0.9, steps: 10),
            OutputSaturation.Train(Loss.HalfSumOfSquares, 2, 2, steps: 10),
        };
        var json = new ChartJson(Charts.OutputSaturation(runs));

        Assert.Equal(4, json.Traces.Count);
        string slow = "half sum of squares, start y = 0.98 (w = 2, b = 2)";
        Assert.Contains(slow, json.TraceNames);
        Assert.Contains("target t = 0", json.TraceNames);
        Assert.Equal(runs[2].Outputs, ChartJson.Numbers(json.Trace(slow)["y"]));
        Assert.Equal("dash", json.Trace(slow)["line"]!["dash"]!.ToString());
        Assert.Equal("solid", json.Trace("half sum of squares, start y = 0.82 (w = 0.6, b = 0.9)")["line"]!["dash"]!.ToString());
        Assert.Equal(json.Trace(slow)["line"]!["color"]!.ToString(), json.Trace("half sum of squares, start y = 0.82 (w = 0.6, b = 0.9)")["line"]!["color"]!.ToString());
        Assert.NotEqual(json.Trace(slow)["line"]!["color"]!.ToString(), json.Trace("softmax cross-entropy, start y = 0.82 (w = 0.6, b = 0.9)")["line"]!["color"]!.ToString());
        Assert.Equal("gradient-descent step τ", json.AxisTitle("xaxis"));
        Assert.Equal("output y = σ(a)", json.AxisTitle("yaxis"));
    }

    [Fact]
    public void OutputSaturation_refuses_no_runs_and_runs_that_do_not_share_a_target_and_length()
    {
        Assert.ThrowsAny<ArgumentException>(() => Charts.OutputSaturation([]));
        Assert.ThrowsAny<ArgumentException>(() => Charts.OutputSaturation([
            OutputSaturation.Train(Loss.HalfSumOfSquares, 1, 1, steps: 5), OutputSaturation.Train(Loss.HalfSumOfSquares, 1, 1, steps: 6)]));
        Assert.ThrowsAny<ArgumentException>(() => Charts.OutputSaturation([
            OutputSaturation.Train(Loss.HalfSumOfSquares, 1, 1, steps: 5), OutputSaturation.Train(Loss.HalfSumOfSquares, 1, 1, target: 1, steps: 5)]));
    }
}
