using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// A submission that answers an exercise with the kit member the exercise forbids earns nothing for it, in <c>validate</c>
/// and in <c>grade</c> alike, and the message names the call: the check cell's own <c>Kit::Check.OwnWork</c> decides, so
/// VS Code, validate and grade give the same verdict.
/// </summary>
[Collection("grader")]
public sealed class OwnWorkGradingTests
{
    private const string Lesson00 = "00-start-here.ipynb";

    [Fact]
    public async Task An_exercise_answered_by_the_kit_earns_nothing_in_validate_and_in_grade_and_the_message_names_the_call()
    {
        var kit = EngineFixture.Shared;
        var release = NotebookDocument.Load(Path.Combine(kit.ReleaseRoot, "notebooks", Lesson00));
        var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, Lesson00));
        var cells = release.Cells.Select(c => c.Copy()).ToList();
        foreach (var cell in cells.Where(c => c.Marker?.Kind == MarkerKind.Exercise))
        {
            cell.Source = cell.Marker!.Id == "00.2"
                ? "// EXERCISE 00.2 (1 point)\nusing K = Backprop.Activation;\ndouble Sigma(double a) => Squash(a);\ndouble Squash(double a) { var s = K.Logistic; return s.Value(a); }"
                : instructor.Cells.Single(c => c.Marker == cell.Marker).Source;
        }

        var path = Path.Combine(kit.Scratch, "submissions", "kit-sigma.ipynb");
        release.WithCells(cells, "kit-sigma.ipynb").Save(path);

        var (validate, grade) = await new Grader(kit.Root, kit.Runner()).GradeBothWaysAsync(path);

        foreach (var graded in new[] { validate, grade })
        {
            var byId = graded.Exercises.ToDictionary(e => e.Id);
            Assert.True(byId["00.1"].Passed, byId["00.1"].Message);
            Assert.False(byId["00.2"].Passed);
            Assert.Equal(0, byId["00.2"].Earned);
            Assert.Contains("✘ Exercise 00.2 is your own work: Sigma calls Activation.Logistic (through Squash)", byId["00.2"].Message, StringComparison.Ordinal);
        }
    }
}
