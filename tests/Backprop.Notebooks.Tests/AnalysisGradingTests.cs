using System.Text.Json.Nodes;
using Backprop.Course.Cli;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// <c>grade --analysis</c> end to end (issue 23, items 4 and 5), in one small grading run of three lesson-00 submissions:
/// the exercise's failures are grouped, the concept-check cells run in the sandbox without costing or earning a point, their
/// answers are read from the cells' source (a cell with code after its answers is a named problem), and the key never
/// reaches the student release.
/// </summary>
[Collection("grader")]
public sealed class AnalysisGradingTests
{
    private const string Lesson00 = "00-start-here.ipynb";

    private static readonly Lazy<Task<(int Exit, string Stderr, JsonArray Grades, JsonNode Analysis, string Html)>> s_run = new(GradeAsync);

    private static IReadOnlyList<ConceptQuestion> Questions => ConceptBank.Load(EngineFixture.Shared.Root, EngineFixture.Shared.NotebooksFolder).Questions;

    /// <summary>An answer cell with <paramref name="answer"/> for every choice question, '?' for the others, and <paramref name="after"/> after it.</summary>
    private static string AnswerCell(string when, string answer, string after = "") =>
        $"// CONCEPT CHECK {when} — not graded: no points.\nConceptCheck.Answers(\"{when}\", \"\"\"\n"
        + string.Join("\n", Questions.Select((q, i) => $"{i + 1}: {(q.IsChoice ? answer : "?")}")) + $"\n\"\"\");{after}";

    private static async Task<(int, string, JsonArray, JsonNode, string)> GradeAsync()
    {
        var kit = EngineFixture.Shared;
        var work = Path.Combine(kit.Scratch, "analysis");
        var folder = Directory.CreateDirectory(Path.Combine(work, "submissions")).FullName;
        var wrongSign = "// EXERCISE 00.2 (1 point)\ndouble Sigma(double a)\n{\n    return 1.0 / (1.0 + Math.Exp(a));\n}";
        var students = new Dictionary<string, (string? Sigma, string[] Concepts)>
        {
            // Both sheets in one file: the analysis reads a concept-check cell wherever it is (lesson 00 and the capstone in a course).
            ["ann"] = (null, [AnswerCell("before", "?"), AnswerCell("after", "b")]),
            ["bob"] = (wrongSign, [AnswerCell("before", "a"), AnswerCell("after", "b", "\nConsole.WriteLine(\"<b>not an answer</b>\");")]),
            ["cat"] = (wrongSign.Replace("Math.Exp(a)", "Math.Exp(+a)", StringComparison.Ordinal), []),   // the 'before' cell as released: nothing answered
        };
        var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, Lesson00));
        foreach (var (student, (sigma, concepts)) in students)
        {
            var cells = instructor.Cells.Select(c => c.Copy()).ToList();
            foreach (var cell in cells.Where(c => c.Marker is { Kind: MarkerKind.Exercise, Id: "00.2" } && sigma is not null))
            {
                cell.Source = sigma!;
            }

            // The lesson's own 'before' cell (every '?' as released) takes the student's answers; an 'after' cell is added.
            var released = cells.Single(c => c.IsCode && c.Source.StartsWith(ConceptAnswers.Marker + "before", StringComparison.Ordinal));
            foreach (var concept in concepts)
            {
                var answers = released;
                if (!concept.StartsWith(ConceptAnswers.Marker + "before", StringComparison.Ordinal))
                {
                    answers = released.Copy();
                    cells.Add(answers);
                }

                answers.Source = concept;
            }

            var path = Path.Combine(folder, student, Lesson00);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            instructor.WithCells(cells, Lesson00).Save(path);
        }

        var html = Path.Combine(work, "analysis.html");
        var stderr = new StringWriter();
        var exit = await Program.RunAsync(["grade", folder, "--student-id", "folder", "--jobs", "2", "--analysis", html, "--output", Path.Combine(work, "report.json")], kit.Root, TextWriter.Null, stderr);
        return (exit, stderr.ToString(), JsonNode.Parse(File.ReadAllText(Path.Combine(work, "report.json")))!.AsArray(),
            JsonNode.Parse(File.ReadAllText(Path.Combine(work, "analysis.json")))!, File.ReadAllText(html));
    }

    [Fact]
    public async Task The_analysis_groups_the_class_s_failures_and_the_answer_cells_neither_cost_nor_earn_points()
    {
        var (exit, stderr, grades, analysis, _) = await s_run.Value;

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var byStudent = grades.ToDictionary(g => g!["student"]!.GetValue<string>(), g => (Earned: g!["earned"]!.GetValue<int>(), Possible: g["possible"]!.GetValue<int>(), Problems: g["problems"]!.AsArray().Count));
        Assert.Equal((2, 2, 0), byStudent["ann"]);
        Assert.Equal((1, 2, 0), byStudent["bob"]);   // the cell with code after its answers ran like any cell of the student's: no problem, no point
        var sigma = analysis["exercises"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == "00.2")!;
        Assert.Equal((3, 3, 1, 2), (sigma["students"]!.GetValue<int>(), sigma["attempted"]!.GetValue<int>(), sigma["passed"]!.GetValue<int>(), sigma["failed"]!.GetValue<int>()));
        var group = Assert.Single(sigma["failures"]!.AsArray());   // bob's and cat's mistake, written two ways, one message pattern
        Assert.Equal(["bob", "cat"], group!["students"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal([0, 2, 1], analysis["lessons"]![0]!["students_with_points"]!.AsArray().Select(n => n!.GetValue<int>()));
    }

    [Fact]
    public async Task The_concept_check_is_read_from_the_cells_source_and_a_cell_with_code_is_a_named_problem()
    {
        var (_, _, _, analysis, html) = await s_run.Value;

        var concepts = analysis["concept_check"]!;
        Assert.True(concepts["key"]!.GetValue<bool>());
        Assert.Equal((3, 1), (concepts["sheets"]!["before"]!.GetValue<int>(), concepts["sheets"]!["after"]!.GetValue<int>()));
        var problem = Assert.Single(concepts["problems"]!.AsArray());
        Assert.Equal("bob", problem!["student"]!.GetValue<string>());
        Assert.Contains("holds something after its answers", problem["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        var ann = concepts["students"]!.AsArray().Single(s => s!["student"]!.GetValue<string>() == "ann")!;
        Assert.Equal(0.0, ann["pre"]!.GetValue<double>());   // '?' everywhere: not answered
        Assert.Equal(ann["g"]!.GetValue<double>(), ann["post"]!.GetValue<double>() / 100, 4);   // g = (post − 0) / (100 − 0)
        Assert.Equal(1, concepts["class"]!["students"]!.GetValue<int>());
        Assert.DoesNotContain("<b>not an answer</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_student_release_holds_no_file_with_the_concept_check_s_key()
    {
        var release = EngineFixture.Shared.ReleaseRoot;

        Assert.True(File.Exists(Path.Combine(release, ConceptBank.BankPath)));   // the questions travel with the kit
        var withKey = Directory.EnumerateFiles(release, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && new FileInfo(f).Length < 5_000_000)
            .Where(f => Path.GetFileName(f) == ConceptBank.KeyFile || File.ReadAllText(f).Contains("backprop-concept-check-key/v1", StringComparison.Ordinal)).ToList();
        Assert.Empty(withKey);
    }
}

