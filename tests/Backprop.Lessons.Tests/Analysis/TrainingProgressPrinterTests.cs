using Backprop.Tests;

namespace Backprop.Lessons.Tests;

public sealed class TrainingProgressPrinterTests
{
    private static TrainingProgress At(int step, double accuracy = double.NaN) =>
        new("batch GD", new TrainingEntry(step, step, step, 2.0 * step, 0.5, double.NaN, accuracy, TimeSpan.FromSeconds(1.5)));

    [Fact]
    public void Prints_every_interval_steps_skipping_step_zero()
    {
        var output = new StringWriter();
        var printer = new TrainingProgressPrinter("tanh", interval: 3, output);

        foreach (int step in Enumerable.Range(0, 10))
        {
            printer.Report(At(step));
        }

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["  tanh: step 3, L/N = 0.5000, 1.5 s", "  tanh: step 6, L/N = 0.5000, 1.5 s", "  tanh: step 9, L/N = 0.5000, 1.5 s"], lines);
    }

    [Fact]
    public void Shows_the_test_accuracy_when_there_is_one()
    {
        var output = new StringWriter();
        new TrainingProgressPrinter("ReLU", 1, output).Report(At(1, 0.875));
        Assert.Contains("test accuracy 87.5 %", output.ToString());
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => new TrainingProgressPrinter("x", 0), "interval", "at least 1", "is 0");
        Assert.Throws<ArgumentNullException>(() => new TrainingProgressPrinter(null!));
        Assert.Throws<ArgumentNullException>(() => new TrainingProgressPrinter("x", 1, new StringWriter()).Report(null!));
    }
}
