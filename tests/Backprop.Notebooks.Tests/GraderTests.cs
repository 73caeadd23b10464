using System.Diagnostics;
using Backprop.Course.Cli;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>The grader, on submissions made from the student release the way a student would.</summary>
[Collection("grader")]
public sealed class GraderTests
{
    private readonly EngineFixture kit = EngineFixture.Shared;

    private const string Lesson01 = "01-forward-propagation.ipynb";

    /// <summary>The three lesson-01 submissions graded for real, two kernels at a time (the stuck one, the longest, first), shared by the tests below.</summary>
    private static readonly Lazy<Task<Lesson01Grades>> s_grades = new(() => Task.Run(GradeLesson01Async));

    private sealed record Lesson01Grades(string CorrectPath, string CorrectBefore, SubmissionGrade Correct, SubmissionGrade Wrong, SubmissionGrade Stuck, TimeSpan StuckTook);

    private static async Task<Lesson01Grades> GradeLesson01Async()
    {
        var kit = EngineFixture.Shared;
        var tests = new GraderTests();
        var correct = tests.Submission("correct.ipynb");
        var before = File.ReadAllText(correct);
        var wrong = tests.Submission("wrong.ipynb",
            answers: new()
            {
                ["01.4"] = "// EXERCISE 01.4 (1 point)\nint WeightCount(int D, int M, int K) => D * M + M * K;   // forgot the biases",
                ["01.1"] = "// EXERCISE 01.1 (3 points)\nVector<double> ForwardTwoLayer(Matrix<double> W1, Matrix<double> W2, Vector<double> x) => Vector<double>.Build.Dense(W2.RowCount);",
            },
            checkCells: new() { ["01.1"] = "// CHECK 01.1\nConsole.WriteLine(\"✔ Exercise 01.1 passed: trust me\");" });
        var stuck = tests.Submission("stuck.ipynb", answers: new()
        {
            ["01.2"] = "// EXERCISE 01.2 (2 points)\ndouble HiddenActivation(Matrix<double> W, Vector<double> x, int row)\n{\n    while (true) { }\n}",
        });
        var stuckTook = TimeSpan.Zero;
        var grades = await EngineFixture.PooledAsync(new[] { stuck, correct, wrong }, async path =>
        {
            if (path != stuck)
            {
                return await tests.Grader().GradeAsync(path);
            }

            var clock = Stopwatch.StartNew();
            var grade = await new Grader(kit.Root, kit.Runner(cellTimeoutSeconds: 30, notebookTimeoutSeconds: 200)).GradeAsync(path);
            stuckTook = clock.Elapsed;
            return grade;
        });
        return new Lesson01Grades(correct, before, grades[1], grades[2], grades[0], stuckTook);
    }

    /// <summary>The released lesson with each exercise cell replaced by <paramref name="answers"/>[id] or the instructor's solution.</summary>
    private string Submission(string fileName, Dictionary<string, string>? answers = null, Dictionary<string, string>? checkCells = null)
    {
        var release = NotebookDocument.Load(Path.Combine(kit.ReleaseRoot, "notebooks", Lesson01));
        var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, Lesson01));
        var cells = release.Cells.Select(c => c.Copy()).ToList();
        foreach (var cell in cells.Where(c => c.Marker is not null))
        {
            var marker = cell.Marker!;
            if (marker.Kind == MarkerKind.Exercise)
            {
                cell.Source = answers?.GetValueOrDefault(marker.Id) ?? instructor.Cells.Single(c => c.Marker == marker).Source
                    .Replace(Marker.BeginSolution + "\n", "", StringComparison.Ordinal);
            }
            else if (marker.Kind == MarkerKind.Check && checkCells?.GetValueOrDefault(marker.Id) is { } tampered)
            {
                cell.Source = tampered;
            }
        }

        var path = Path.Combine(kit.Scratch, "submissions", fileName);
        release.WithCells(cells, fileName).Save(path);
        return path;
    }

    private Grader Grader(int timeoutSeconds = 300) => new(kit.Root, kit.Runner(Math.Min(120, timeoutSeconds), timeoutSeconds));

    [Fact]
    public async Task A_correct_submission_scores_full_marks_and_is_not_modified()
    {
        var (path, before, grade, _, _, _) = await s_grades.Value;

        Assert.Equal("01", grade.Lesson);
        Assert.Empty(grade.Problems);
        Assert.Equal(4, grade.Exercises.Count);
        Assert.All(grade.Exercises, e => Assert.True(e.Passed, e.Message));
        Assert.Equal(grade.Possible, grade.Earned);
        Assert.Equal(8, grade.Possible);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public async Task A_wrong_answer_loses_exactly_its_points_and_a_check_edited_to_pass_still_fails()
    {
        // 01.4 forgets the biases, 01.1 returns zeros, and the check cell of 01.1 is edited to print a pass (see GradeLesson01Async).
        var grade = (await s_grades.Value).Wrong;

        var byId = grade.Exercises.ToDictionary(e => e.Id);
        Assert.True(byId["01.2"].Passed, byId["01.2"].Message);
        Assert.Equal(2, byId["01.2"].Earned);
        Assert.False(byId["01.1"].Passed);
        Assert.Equal(0, byId["01.1"].Earned);
        Assert.Contains("Exercise 01.1", byId["01.1"].Message, StringComparison.Ordinal);
        Assert.True(byId["01.3"].Passed, byId["01.3"].Message);
        Assert.False(byId["01.4"].Passed);
        Assert.Contains("WeightCount(2, 3, 2) — expected 17, got 12", byId["01.4"].Message, StringComparison.Ordinal);
        Assert.Contains("Hint:", byId["01.4"].Message, StringComparison.Ordinal);
        Assert.Equal(2 + 2, grade.Earned);
        Assert.Equal(8, grade.Possible);
    }

    [Fact]
    public async Task A_malformed_file_gives_a_clear_report_without_running_anything()
    {
        var path = Path.Combine(kit.Scratch, "submissions", "broken.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{ \"cells\": [ { \"cell_type\": \"code\", ");

        var grade = await Grader().GradeAsync(path);

        Assert.Equal(0, grade.Earned);
        Assert.Contains(grade.Problems, p => p.Contains("not a notebook — the file is not valid JSON", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_submission_stuck_in_an_infinite_loop_loses_only_that_exercise_within_the_time_limit()
    {
        // 01.2 loops for ever; graded with a 30 s cell limit (see GradeLesson01Async), timed from the grader's start.
        var (_, _, _, _, grade, took) = await s_grades.Value;

        Assert.True(took < TimeSpan.FromSeconds(150), $"took {took}");
        var byId = grade.Exercises.ToDictionary(e => e.Id);
        Assert.False(byId["01.2"].Passed);
        Assert.Contains("timed out", byId["01.2"].Message, StringComparison.Ordinal);
        // The kernel is restarted and the later exercises are graded from a fresh run of the cells they need.
        Assert.True(byId["01.1"].Passed, byId["01.1"].Message);
        Assert.True(byId["01.3"].Passed, byId["01.3"].Message);
        Assert.True(byId["01.4"].Passed, byId["01.4"].Message);
        Assert.Equal(3 + 2 + 1, grade.Earned);
    }

    [Fact]
    public async Task Grade_command_prints_json_in_the_documented_shape_for_a_malformed_file()
    {
        var path = Path.Combine(kit.Scratch, "submissions", "empty.ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "[]");
        var stdout = new StringWriter();

        var exit = await Program.RunAsync(["grade", path, "--json"], kit.Root, stdout, TextWriter.Null);

        Assert.Equal(1, exit);
        var report = System.Text.Json.Nodes.JsonNode.Parse(stdout.ToString())!.AsArray();
        var first = report.Single()!;
        Assert.Equal(path, first["notebook"]!.GetValue<string>());
        Assert.Empty(first["exercises"]!.AsArray());
        Assert.Equal(0, first["earned"]!.GetValue<int>());
        Assert.Equal(0, first["possible"]!.GetValue<int>());
    }
}
