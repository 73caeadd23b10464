namespace Backprop.Notebooks.Tests;

/// <summary>
/// How LiveLessonTests compare a cell's browser text with the notebook's: exact (timings masked) unless the cell is named as
/// printing round-off or where it runs; then only the text around the numbers, or what it must say there.
/// </summary>
public sealed class LiveComparisonTests
{
    [Fact]
    public void A_cell_not_named_must_print_the_same_numbers()
    {
        Assert.Null(LiveLessonTests.Departure("02-backpropagation", "Console.WriteLine(x);", "L = 0.125\n", "L = 0.125"));
        Assert.Equal("the printed text differs", LiveLessonTests.Departure("02-backpropagation", "Console.WriteLine(x);", "L = 0.125\n", "L = 0.126"));
        Assert.Null(LiveLessonTests.Departure("02-backpropagation", "Console.WriteLine(x);", "took 1.5 s\n", "took 2.5 s"));   // a timing
    }

    [Fact]
    public void A_round_off_cell_may_change_its_numbers_and_the_order_of_a_ranking_but_not_its_words()
    {
        const string race = "// Who won what, read off the two races above";
        Assert.Null(LiveLessonTests.Departure("08-optimisers", race,
            "passes: quasi-Newton 98, conjugate gradient 462, mini-batch SGD 486\nCG median —, range 462 … 462 (1 of 5 runs)",
            "passes: quasi-Newton 98, mini-batch SGD 486, conjugate gradient 519\nCG median 651, range 519 … 651 (3 of 5 runs)"));
        Assert.NotNull(LiveLessonTests.Departure("08-optimisers", race, "passes: quasi-Newton 98", "passes: batch GD 98"));
        Assert.NotNull(LiveLessonTests.Departure("08-optimisers", race, "one line\n", "one line\nand another"));
        // The same source in another lesson is not named.
        Assert.NotNull(LiveLessonTests.Departure("09-vanishing-gradients", race, "L = 0.125", "L = 0.126"));
    }

    [Fact]
    public void A_cell_that_prints_where_it_runs_must_say_so_in_the_browser()
    {
        const string source = "Console.WriteLine(RuntimeInformation.OSDescription);";
        Assert.Null(LiveLessonTests.Departure("00-start-here", source, "on Debian GNU/Linux 12", ".NET runtime 10.0.12 on Browser, 1 cores"));
        Assert.NotNull(LiveLessonTests.Departure("00-start-here", source, "on Debian GNU/Linux 12", ""));
    }
}
