using Backprop.Tests;

namespace Backprop.Lessons.Tests;

/// <summary>GradientCost.Measure: everything but the seconds (sizes, parameter counts, order, bad input).</summary>
public sealed class GradientCostTests
{
    private const double Quick = 1e-4; // processor seconds per timed round: as short as the clock allows

    [Fact]
    public void Measures_every_width_in_order_with_the_parameter_count_of_a_D_M_K_network()
    {
        var reported = new List<GradientCostMeasurement>();

        IReadOnlyList<GradientCostMeasurement> results =
            GradientCost.Measure([1, 3, 7], inputs: 2, outputs: 4, samples: 3, seed: 5, minimumSeconds: Quick, rounds: 1, measured: reported.Add);

        Assert.Equal([1, 3, 7], results.Select(r => r.HiddenUnits));
        Assert.Equal(results, reported); // the callback saw each size as it was measured, in order
        foreach (GradientCostMeasurement r in results)
        {
            Assert.Equal(((2 + 1) * r.HiddenUnits) + ((r.HiddenUnits + 1) * 4), r.ParameterCount); // |W| = (D + 1)M + (M + 1)K
            Assert.Equal(new Mlp([2, r.HiddenUnits, 4], Activation.Tanh, Activation.Identity, 5).ParameterCount, r.ParameterCount);
            Assert.True(r.BackpropSeconds > 0 && double.IsFinite(r.BackpropSeconds));
            Assert.True(r.NumericalSeconds > 0 && double.IsFinite(r.NumericalSeconds));
            Assert.True(r.BackpropRepeats >= 1);
            Assert.True(r.NumericalRepeats >= 1);
        }
    }

    [Fact]
    public void The_sizes_do_not_depend_on_the_seed_or_the_run()
    {
        var a = GradientCost.Measure([2, 4], inputs: 3, outputs: 2, seed: 1, minimumSeconds: Quick, rounds: 1);
        var b = GradientCost.Measure([2, 4], inputs: 3, outputs: 2, seed: 2, minimumSeconds: Quick, rounds: 1);
        Assert.Equal(a.Select(m => (m.HiddenUnits, m.ParameterCount)), b.Select(m => (m.HiddenUnits, m.ParameterCount)));
        Assert.Equal([(2, 14), (4, 26)], a.Select(m => (m.HiddenUnits, m.ParameterCount)));
    }

    [Fact]
    public void No_widths_give_no_measurements()
    {
        Assert.Empty(GradientCost.Measure([], minimumSeconds: Quick));
    }

    [Fact]
    public void Bad_input_is_rejected_before_anything_is_timed()
    {
        int called = 0;
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => GradientCost.Measure([3, 0], minimumSeconds: Quick, measured: _ => called++), "hiddenUnits[1]", "at least 1", "is 0");
        Assert.Equal(0, called);
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => GradientCost.Measure([1], inputs: 0), "inputs");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => GradientCost.Measure([1], outputs: 0), "outputs");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => GradientCost.Measure([1], samples: 0), "samples");
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => GradientCost.Measure([1], rounds: 0), "rounds");
        TestSupport.AssertArgumentException(() => GradientCost.Measure([1], minimumSeconds: 0.0), "minimumSeconds");
        TestSupport.AssertArgumentException(() => GradientCost.Measure([1], minimumSeconds: double.NaN), "minimumSeconds");
        Assert.Throws<ArgumentNullException>(() => GradientCost.Measure(null!));
    }
}
