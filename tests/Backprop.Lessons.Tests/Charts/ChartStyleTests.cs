using Plotly.NET;

namespace Backprop.Lessons.Charts.Tests;

public sealed class ChartStyleTests
{
    [Fact]
    public void Installed_style_puts_powers_of_ten_and_growing_margins_on_every_axis_of_a_chart_written_as_html()
    {
        ChartStyle.Install();
        ChartStyle.Install();   // a second call changes nothing

        GenericChart chart = Charts.TrainingCurves("training loss L", [("run", [1.0, 1e-3, 1e-6])]);
        string html = GenericChart.toChartHTML(chart);

        Assert.Contains("\"exponentformat\":\"power\"", html, StringComparison.Ordinal);
        Assert.Contains("\"automargin\":true", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Palette_gives_each_optimiser_and_activation_one_colour_matched_by_name()
    {
        Assert.Equal(Palette.OfOptimizer("quasi-Newton").Value, Palette.OfOptimizer("quasi-Newton (BFGS, 200 iterations)").Value);
        Assert.NotEqual(Palette.OfOptimizer("online SGD").Value, Palette.OfOptimizer("mini-batch SGD").Value);
        Assert.Equal(Palette.Neutral.Value, Palette.OfOptimizer("something else").Value);
        Assert.Equal(Palette.Of(Activation.Tanh).Value, Palette.Of(Activation.Tanh).Value);
        Assert.NotEqual(Palette.Of(Activation.Tanh).Value, Palette.Of(Activation.Logistic).Value);
    }
}
