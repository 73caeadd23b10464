namespace Backprop.Lessons.Charts.Tests;

/// <summary>VanishingGradientCharts.cs (lesson 09) and ActivationCharts.cs (lessons 11 and 12).</summary>
public sealed class VanishingGradientAndActivationChartsTests
{
    [Fact]
    public void Layer_colour_is_fixed_per_layer_and_wraps_after_eight()
    {
        Assert.Equal(Palette.OfLayer(1).Value, Palette.OfLayer(9).Value);
        Assert.Equal(Palette.OfLayer(1).Value, Palette.OfLayer(0).Value);
        Assert.NotEqual(Palette.OfLayer(1).Value, Palette.OfLayer(2).Value);
    }

    [Fact]
    public void SpeedOfLearningSideBySide_draws_one_log_line_per_layer_from_the_diagnostics()
    {
        LayerDiagnosticsRecorder history = ChartTestData.DeepDiagnostics(Activation.Logistic);
        var json = new ChartJson(Charts.SpeedOfLearningSideBySide(("σ", history)));

        Assert.Equal(["layer 1", "layer 2", "layer 3 (output)"], json.LegendNames);
        Assert.Equal(history.BiasGradientNorms[0], ChartJson.Numbers(json.Trace("layer 1")["y"]));
        Assert.Equal(history.Steps.Select(s => (double)s), ChartJson.Numbers(json.Trace("layer 1")["x"]));
        Assert.Equal("log", json.AxisType("yaxis"));
        Assert.Equal(history.StepUnit, json.AxisTitle("xaxis"));
    }

    [Fact]
    public void SpeedOfLearningSideBySide_puts_one_panel_per_run_and_the_legend_once()
    {
        var json = new ChartJson(Charts.SpeedOfLearningSideBySide(("σ", ChartTestData.DeepDiagnostics(Activation.Logistic)), ("ReLU", ChartTestData.DeepDiagnostics(Activation.ReLU))));

        Assert.Equal(6, json.Traces.Count);
        Assert.Equal(["layer 1", "layer 2", "layer 3 (output)"], json.LegendNames);
        Assert.Equal("log", json.AxisType("yaxis"));
        Assert.Equal("log", json.AxisType("yaxis2"));
        foreach (string axis in new[] { "xaxis", "xaxis2" })
        {
            // Each panel's x range reaches past its first and last step, so tick labels at a panel join do not meet.
            double[] range = ChartJson.Numbers(json.Axis(axis)["range"]);
            int[] steps = ChartTestData.DeepDiagnostics(Activation.Logistic).Steps;
            Assert.True(range[0] < steps[0] && range[1] > steps[^1], $"{axis}: [{range[0]}, {range[1]}]");
        }

        Assert.Equal("phases", Assert.ThrowsAny<ArgumentException>(() => Charts.DeadUnits("t")).ParamName);
        Assert.Equal("runs", Assert.ThrowsAny<ArgumentException>(() => Charts.SpeedOfLearningSideBySide()).ParamName);
    }

    [Fact]
    public void RatioAgainstDepth_draws_the_measured_ratio_against_the_quarter_rule_on_a_log_axis()
    {
        var json = new ChartJson(Charts.RatioAgainstDepth([2, 3, 4], [0.2, 0.05, 0.011]));

        Assert.Equal(["predicted (1/4)<sup>H−1</sup>", "measured ratio"], json.LegendNames);
        Assert.Equal([0.25, 0.0625, 0.015625], ChartJson.Numbers(json.Trace("predicted (1/4)<sup>H−1</sup>")["y"]));
        Assert.Equal([0.2, 0.05, 0.011], ChartJson.Numbers(json.Trace("measured ratio")["y"]));
        Assert.Equal([2.0, 3.0, 4.0], ChartJson.Numbers(json.Trace("measured ratio")["x"]));
        Assert.Equal("log", json.AxisType("yaxis"));
        Assert.Equal("hidden layers H", json.AxisTitle("xaxis"));
        // The axis holds both lines: from the smallest (0.011) to the largest (0.25) value, a tenth of a decade beyond.
        Assert.Equal(Math.Log10(0.011) - 0.1, ChartJson.Numbers(json.Axis("yaxis")["range"])[0], 12);
        Assert.Equal(Math.Log10(0.25) + 0.1, ChartJson.Numbers(json.Axis("yaxis")["range"])[1], 12);

        Assert.Equal("measured", Assert.ThrowsAny<ArgumentException>(() => Charts.RatioAgainstDepth([2, 3], [0.2])).ParamName);
        Assert.Contains("one is 0", Assert.ThrowsAny<ArgumentException>(() => Charts.RatioAgainstDepth([2, 3], [0.2, 0.0])).Message);
        Assert.Contains("one is NaN", Assert.ThrowsAny<ArgumentException>(() => Charts.RatioAgainstDepth([2, 3], [double.NaN, 0.1])).Message);
        Assert.Equal("hiddenLayers", Assert.ThrowsAny<ArgumentException>(() => Charts.RatioAgainstDepth([0, 3], [0.2, 0.1])).ParamName);
    }

    [Fact]
    public void SaturationAgainstWeightScale_has_a_log_x_axis_and_one_line_per_hidden_layer()
    {
        var json = new ChartJson(Charts.SaturationAgainstWeightScale([0.1, 1, 10], [[0.0, 0.0], [0.1, 0.2], [0.9, 0.95]]));

        Assert.Equal(["hidden layer 1", "hidden layer 2"], json.LegendNames);
        Assert.Equal([0.0, 0.2, 0.95], ChartJson.Numbers(json.Trace("hidden layer 2")["y"]));
        Assert.Equal("log", json.AxisType("xaxis"));
        Assert.Equal("weight scale σ_w (log)", json.AxisTitle("xaxis"));
        Assert.Equal([0.0, 1.0], ChartJson.Numbers(json.Axis("yaxis")["range"]));
        var e = Assert.ThrowsAny<ArgumentException>(() => Charts.SaturationAgainstWeightScale([0.1, 1], [[0.0]]));
        Assert.Equal("fractions", e.ParamName);
        Assert.Contains("(2)", e.Message);
        var ragged = Assert.ThrowsAny<ArgumentException>(() => Charts.SaturationAgainstWeightScale([0.1, 1], [[0.0, 0.1], [0.2]]));
        Assert.Equal("fractions", ragged.ParamName);
        Assert.Contains("row 1 has 1", ragged.Message);
        Assert.Contains(LayerStatistics.SaturationThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture), json.AxisTitle("yaxis"));
    }

    [Fact]
    public void ActivationGrid_draws_the_functions_left_and_the_derivatives_right_with_one_legend()
    {
        IReadOnlyList<Activation> activations = ActivationSummary.LectureActivations;
        var json = new ChartJson(Charts.ActivationGrid(activations, -2, 2, points: 5));

        Assert.Equal(activations.Concat(activations).Select(h => h.Name), json.TraceNames);
        Assert.Equal(activations.Select(h => h.Name), json.LegendNames);
        Assert.Equal([0.0, 0.0, 0.0, 1.0, 2.0], ChartJson.Numbers(json.Traces[2]["y"]));       // ReLU h(a)
        Assert.Equal([0.0, 0.0, 0.0, 1.0, 1.0], ChartJson.Numbers(json.Traces[7]["y"]));       // ReLU h'(a), h'(0) = 0
        Assert.Equal((string?)json.Traces[1]["line"]!["color"], (string?)json.Traces[6]["line"]!["color"]);
        Assert.NotNull(json.Layout["xaxis2"]);
        Assert.Null(json.Layout["xaxis3"]); // two panels
        Assert.Equal(880, (int?)json.Layout["width"]);
        Assert.Equal("activations", Assert.ThrowsAny<ArgumentException>(() => Charts.ActivationGrid([])).ParamName);
    }

    [Fact]
    public void ActivationSummary_is_an_html_table_with_a_row_and_a_sparkline_per_activation()
    {
        string html = Tables.ActivationSummary(ActivationSummary.LectureActivations);
        Assert.StartsWith("<table", html);
        Assert.Equal(6, html.Split("<tr>").Length - 1);   // header + five rows
        Assert.Equal(5, html.Split("<svg").Length - 1);
        foreach (var name in new[] { "logistic", "tanh", "ReLU", "leaky ReLU (k = 0.01)", "ELU (k = 1)" })
        {
            Assert.Contains($">{name}<", html);
        }

        Assert.Contains("<sup>", html);   // typeset exponents, not e^(−a)
        Assert.Contains(">0.25<", html);
        Assert.Contains("stroke=\"#9467bd\"", html);   // the sparkline in ELU's palette colour, as a CSS hex colour
        Assert.Contains("stroke=\"#1f77b4\"", html);   // logistic
        Assert.DoesNotContain("1(<i>e</i>", html);        // k = 1 is not written as a factor
        Assert.Equal("activations", Assert.ThrowsAny<ArgumentException>(() => Tables.ActivationSummary([])).ParamName);
    }

    [Fact]
    public void Log_axes_get_powers_of_ten_and_side_by_side_panels_share_one_range()
    {
        var (values, text) = ChartFit.LogTicks(3e-4, 0.2);
        Assert.Equal([1e-4, 1e-3, 1e-2, 0.1, 1.0], values.Select(v => Math.Round(v, 12)));
        Assert.Equal(["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "1"], text);   // one style per axis: all powers once one label needs them
        var (narrow, narrowText) = ChartFit.LogTicks(0.06, 0.4);
        Assert.Equal([0.05, 0.1, 0.2, 0.5], narrow.Select(v => Math.Round(v, 12)));
        Assert.Equal(["0.05", "0.1", "0.2", "0.5"], narrowText);
        Assert.Equal(["2·10²", "5·10²", "10³", "2·10³", "5·10³", "10⁴", "2·10⁴"], ChartFit.LogTicks(180, 2.1e4).Text);   // two decades: 1-2-5 steps

        var json = new ChartJson(Charts.SpeedOfLearningSideBySide(("σ", ChartTestData.DeepDiagnostics(Activation.Logistic)), ("ReLU", ChartTestData.DeepDiagnostics(Activation.ReLU))));
        Assert.Equal(json.Layout["yaxis"]!["range"]!.ToString(), json.Layout["yaxis2"]!["range"]!.ToString());
        Assert.False((bool)json.Layout["yaxis2"]!["showticklabels"]!);
    }

    [Fact]
    public void ByActivation_and_PerLayerBarsByActivation_colour_by_activation_family()
    {
        var lines = new ChartJson(Charts.ByActivation("training loss L/N", [(Activation.Tanh, ChartTestData.List(1, 0.5)), (Activation.ReLU, ChartTestData.List(1, 0.2))], logScale: true));
        Assert.Equal(["tanh", "ReLU"], lines.LegendNames);
        Assert.Equal([0.0, 1.0], ChartJson.Numbers(lines.Trace("ReLU")["x"]));
        Assert.Equal("log", lines.AxisType("yaxis"));
        Assert.Equal("epoch", lines.AxisTitle("xaxis"));

        var bars = new ChartJson(Charts.PerLayerBarsByActivation("‖Δw‖", [("ReLU", Activation.ReLU, ChartTestData.List(1, 2)), ("ReLU, He", Activation.ReLU, ChartTestData.List(3, 4)), ("tanh", Activation.Tanh, ChartTestData.List(5, 6))]));
        Assert.Equal(["ReLU", "ReLU, He", "tanh"], bars.LegendNames);
        Assert.Equal(["layer 1", "layer 2"], ChartJson.Strings(bars.Trace("tanh")["x"]));
        Assert.Equal((string?)bars.Trace("ReLU")["marker"]!["color"], (string?)bars.Trace("ReLU, He")["marker"]!["color"]);
        Assert.NotEqual((string?)bars.Trace("ReLU")["marker"]!["color"], (string?)bars.Trace("tanh")["marker"]!["color"]);
        Assert.Equal("", (string?)bars.Trace("ReLU")["marker"]!["pattern"]!["shape"]); // first of its family: plain
        Assert.Equal("/", (string?)bars.Trace("ReLU, He")["marker"]!["pattern"]!["shape"]); // repeated family: hatched
        Assert.Equal("‖Δw‖", bars.AxisTitle("yaxis"));
    }

    [Fact]
    public void DeadUnits_numbers_the_epochs_on_across_phases_and_keeps_the_axis_titles()
    {
        LayerDiagnosticsRecorder first = ChartTestData.DeepDiagnostics(Activation.ReLU, seed: 1);
        LayerDiagnosticsRecorder second = ChartTestData.DeepDiagnostics(Activation.ReLU, seed: 2);
        var json = new ChartJson(Charts.DeadUnits("dead", first, second));

        Assert.Equal(["hidden layer 1", "hidden layer 2"], json.LegendNames);
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7, 8], ChartJson.Numbers(json.Trace("hidden layer 1")["x"]));
        Assert.Equal(first.DeadFractions[1].Concat(second.DeadFractions[1].Skip(1)), ChartJson.Numbers(json.Trace("hidden layer 2")["y"]));
        Assert.Equal("fraction of dead units", json.AxisTitle("yaxis"));
        Assert.Equal([0.0, 1.0], ChartJson.Numbers(json.Axis("yaxis")["range"]));
        Assert.Equal("dead", json.Title);
    }

    [Fact]
    public void DeadUnits_rejects_phases_from_networks_of_different_depth()
    {
        LayerDiagnosticsRecorder first = ChartTestData.DeepDiagnostics(Activation.ReLU, seed: 1);
        var shallow = new Mlp([4, 3, 2], Activation.ReLU, Activation.Identity, seed: 3);
        var x = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(6, 4, (n, i) => Math.Sin(n + (2 * i)));
        var t = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(6, 2, (n, k) => Math.Cos(n - k));
        var second = new LayerDiagnosticsRecorder();
        new BatchGradientDescent { Epochs = 2 }.Train(shallow, x, t, Loss.HalfSumOfSquares, validation: null, progress: null, observer: second);

        var e = Assert.ThrowsAny<ArgumentException>(() => Charts.DeadUnits("dead", first, second));
        Assert.Equal("phases", e.ParamName);
        Assert.Contains("phase 1 has 1", e.Message);
    }
}
