using System.Text.Json.Nodes;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>The checker behind "a number in a lesson's Markdown is one a cell printed" (applied to every executed lesson in <see cref="NotebookTests"/>).</summary>
public sealed class MarkdownNumberTests
{
    private static NotebookDocument Executed(string markdown, string code, params JsonObject[] outputs)
    {
        var json = new JsonObject
        {
            ["cells"] = new JsonArray(
                new JsonObject { ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = code, ["outputs"] = new JsonArray([.. outputs.Select(o => o.DeepClone())]) },
                new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = markdown }),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(Path.GetTempPath(), $"markdown-numbers-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, json.ToJsonString());
        try
        {
            return NotebookDocument.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static JsonObject Printed(string text) => new() { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = text };

    private static JsonObject Html(string html) => new() { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = html }, ["metadata"] = new JsonObject() };

    [Theory]
    [InlineData("The loss fell to 0.4050.")]                    // as printed
    [InlineData("The loss fell to about 0.41.")]                // rounded
    [InlineData("Test accuracy reached 67 %.")]                 // a printed fraction as a percentage
    [InlineData("Online SGD reached 5.74E-006.")]               // E notation as printed
    [InlineData("We train for 1000 epochs with η = 0.25.")]      // literals of the code
    [InlineData("Lesson 13 and exercise 07.2 use a 64-30-10 network; cell 23 took 13.2 s.")]   // names, architectures, timings
    [InlineData("The maths: $L = 0.123456$ and `x = 0.987`.")]  // maths and code are not prose
    [InlineData("The forward difference's error falls as ε to the power 1.014.")]   // printed as "ε^1.014"
    public void Numbers_that_a_cell_printed_or_the_code_states_are_accepted(string markdown)
    {
        var notebook = Executed(markdown, "var epochs = 1000; double eta = 0.25;", Printed("L = 0.4050\naccuracy 0.6726\nSGD 5.74E-006\nerror ∝ ε^1.014\n"));
        Assert.Empty(MarkdownNumbers.Problems(notebook));
    }

    [Theory]
    [InlineData("The loss fell to 0.4051.", "0.4051")]          // not what was printed
    [InlineData("Online SGD reached 7.68E-006.", "7.68E-006")]
    [InlineData("Test accuracy reached 68 %.", "68 %")]
    [InlineData("It ran 255 passes.", "255")]
    public void A_number_nothing_printed_is_a_problem_named_by_cell_and_text(string markdown, string quoted)
    {
        var notebook = Executed(markdown, "var epochs = 1000;", Printed("L = 0.4050\naccuracy 0.6726\nSGD 5.74E-006\n"));
        var problem = Assert.Single(MarkdownNumbers.Problems(notebook));
        Assert.Contains("cell 1", problem, StringComparison.Ordinal);
        Assert.Contains($"\"{quoted}\"", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chart_counts_only_with_its_visible_text_not_its_data_arrays()
    {
        var chart = Html("<div></div><script>Plotly.newPlot('c', [{\"type\":\"scatter\",\"name\":\"fit\",\"y\":[0.123,0.456]}], {\"title\":{\"text\":\"largest |∂L/∂w| = 0.566\"}});</script>");
        Assert.Empty(MarkdownNumbers.Problems(Executed("The largest derivative is 0.566.", "1;", chart)));
        Assert.Single(MarkdownNumbers.Problems(Executed("The fit passes through 0.456.", "1;", chart)));
    }

    [Theory]
    [InlineData("In the race, RACE_All numbers below are printed")]
    [InlineData("TODO: explain the chart")]
    [InlineData("The answer is ???")]
    public void Placeholder_text_is_a_problem(string markdown)
    {
        Assert.Contains(MarkdownNumbers.Problems(Executed(markdown, "1;")), p => p.Contains("placeholder", StringComparison.Ordinal));
    }
}
