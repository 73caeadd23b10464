using Backprop.Tests;

namespace Backprop.Lessons.Tests;

public sealed class EpochProgressPrinterTests
{
    private static TrainingProgress At(int epoch, double accuracy = double.NaN) =>
        new("mini-batch GD", new TrainingEntry(epoch, epoch, epoch, 2.0 * epoch, 0.5, double.NaN, accuracy, TimeSpan.FromSeconds(1.5)));

    [Fact]
    public void Prints_every_interval_epochs_skipping_epoch_zero()
    {
        var output = new StringWriter();
        var printer = new EpochProgressPrinter("ReLU", interval: 5, output);

        foreach (int epoch in Enumerable.Range(0, 12))
        {
            printer.Report(At(epoch));
        }

        string[] lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["  ReLU: epoch 5, L/N = 0.5000, 1.5 s", "  ReLU: epoch 10, L/N = 0.5000, 1.5 s"], lines);
    }

    [Fact]
    public void Shows_the_test_accuracy_when_there_is_one()
    {
        var output = new StringWriter();
        new EpochProgressPrinter("ELU", 1, output).Report(At(3, 0.875));
        Assert.Equal("  ELU: epoch 3, L/N = 0.5000, test accuracy 87.5 %, 1.5 s", output.ToString().TrimEnd());
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        TestSupport.AssertThrows<ArgumentOutOfRangeException>(() => new EpochProgressPrinter("x", 0), "interval", "at least 1", "is 0");
        Assert.Throws<ArgumentNullException>(() => new EpochProgressPrinter(null!));
        Assert.Throws<ArgumentNullException>(() => new EpochProgressPrinter("x", 1, new StringWriter()).Report(null!));
    }
}
