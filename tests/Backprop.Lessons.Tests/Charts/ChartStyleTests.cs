using Plotly.NET;

namespace Backprop.Lessons.Charts.Tests;

public sealed class ChartStyleTests
{
    [Fact]
    public void Installed_style_puts_powers_of_ten_and_growing_margins_on_every_axis_of_a_chart_written_as_html()
    {
        ChartStyle.Install();
        ChartStyle.Install();   // a second call changes nothing

        GenericChart chart = Charts.PerLayerBarsByActivation("‖∂L/∂w‖", [("logistic", Activation.Logistic, [1.0, 1e-3, 1e-6])], logScale: true);
        string html = GenericChart.toChartHTML(chart);

        Assert.Contains("\"exponentformat\":\"power\"", html, StringComparison.Ordinal);
        Assert.Contains("\"automargin\":true", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_log_axis_is_labelled_by_ChartFit_never_by_Plotly_minor_digits()
    {
        GenericChart[] charts =
        [
            Charts.PerLayerBarsByActivation("‖∂L/∂w‖", [("logistic", Activation.Logistic, [2.0, 1.9, 1.1])], logScale: true),   // less than a decade
            Charts.PerLayerBarsByActivation("‖∂L/∂w‖", [("logistic", Activation.Logistic, [1.0, 1e-3, 1e-6])], logScale: true),
            Charts.PerLayerBarsByActivation("‖∂L/∂w‖", [("logistic", Activation.Logistic, [3e-4, 2e-3, 0.02])], logScale: true),
            Charts.CentralDifferenceResidual(Activation.Tanh, [1e-2, 1e-4]),
            Charts.FiniteDifferenceErrors([1e-8, 1e-6, 1e-4], [1e-7, 1e-10, 1e-8], [1e-7, 1e-6, 1e-4]),
        ];
        foreach (GenericChart chart in charts)
        {
            var json = new ChartJson(chart);
            var logAxes = json.Layout.Properties().Where(p => p.Name.Contains("axis", StringComparison.Ordinal) && p.Value["type"]?.ToString() == "log").ToList();
            Assert.NotEmpty(logAxes);
            Assert.All(logAxes, axis =>
            {
                double[] ticks = ChartJson.Numbers(axis.Value["tickvals"]);
                Assert.True(ticks.Length >= 2, $"{json.Title ?? "a chart"}: {axis.Name} is a log axis with {ticks.Length} labelled tick(s); set it with ChartFit.LogY/LogX");
                Assert.Equal(ticks.Length, ChartJson.Strings(axis.Value["ticktext"]).Length);
            });
        }
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
