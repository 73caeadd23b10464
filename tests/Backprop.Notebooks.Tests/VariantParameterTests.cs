using System.Text.Json.Nodes;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;
using Backprop.Course.Transforms;
using Backprop.Coursework;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The per-variant pass rate of the exercise analysis (issue 23, item 4) without an engine run: the grader works out each
/// student's drawn value from their seed exactly as <c>Kit::Variant.Draw</c> does, reads only literal draws from the lesson, and
/// the analysis counts each value's students by their best submission. End to end: <see cref="VariantGradingTests"/>.
/// </summary>
public sealed class VariantParameterTests
{
    /// <summary>A lesson with the given code cells (and one Markdown cell that mentions a draw).</summary>
    private static NotebookDocument Lesson(params string[] cells) => NotebookDocument.Parse(new JsonObject
    {
        ["cells"] = new JsonArray([
            .. cells.Select(c => new JsonObject { ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = NotebookCell.SourceLines(c), ["outputs"] = new JsonArray(), ["execution_count"] = null }),
            new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = NotebookCell.SourceLines("`Kit::Variant.Draw(\"09.9\", 1, 2, standard: 1)`") },
        ]),
        ["metadata"] = new JsonObject { ["backprop"] = new JsonObject { ["lesson"] = "07" } },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString(), "07-x.ipynb");

    private static VariantKey Key(params string[] students)
    {
        var folder = Directory.CreateTempSubdirectory("variant-key-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "roster.csv"), string.Join("\n", students) + "\n");
            File.WriteAllText(Path.Combine(folder, "secret.txt"), VariantGradingTests.Secret);
            return VariantKey.Read(Path.Combine(folder, "roster.csv"), Path.Combine(folder, "secret.txt"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_grader_s_value_is_the_one_Variant_Draw_gives_the_student_s_notebook_for_many_seeds_and_ranges()
    {
        var students = Enumerable.Range(0, 60).Select(i => $"s{i}").ToArray();
        var key = Key(students);
        (int From, int To)[] ranges = [(1, 4), (0, 0), (-3, 3), (0, 9), (10, 1000), (-7, -2), (0, int.MaxValue), (int.MinValue, int.MaxValue)];
        foreach (var (range, r) in ranges.Select((range, r) => (range, r)))
        {
            foreach (var student in students)
            {
                // An exercise id no lesson has, one per range and student: a kernel (this test process) keeps one seed per exercise.
                var exercise = $"{90 + r}.{student[1..]}";
                var seed = key.Seed(student, exercise);
                Variant.Use(student, exercise, seed);
                var (_, from, to, value) = Assert.Single(key.Drawn(student, [(exercise, range.From, range.To)]));
                Assert.Equal((range.From, range.To), (from, to));
                Assert.Equal(Variant.Draw(exercise, range.From, range.To, standard: range.From), value);
            }
        }

        // Seeds at the ends of their range, against values worked by hand (1 + seed mod 4).
        int[] seeds = [0, 1, 3, 4, int.MaxValue - 1, int.MaxValue];
        foreach (var (seed, i) in seeds.Select((s, i) => (s, i)))
        {
            Variant.Use("edge", $"98.{i}", seed);
        }

        Assert.Equal([1, 2, 4, 1, 3, 4], seeds.Select((_, i) => Variant.Draw($"98.{i}", 1, 4, standard: 3)));
        Assert.Equal([1, 2, 4, 1, 3, 4], seeds.Select(seed => VariantDraw.Value(seed, 1, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => VariantDraw.Value(-1, 1, 4));
    }

    [Fact]
    public void Only_literal_non_empty_draws_are_parameters_one_per_exercise_and_range()
    {
        var lesson = Lesson(
            "var hidden = Kit::Variant.Draw(\"06.3\", 1, 4, standard: 3);",
            "Kit::Check.Equal(\"layer\", Kit::Variant.Draw( \"06.3\" , 1 , 4 , standard: 3), 2);",   // the check's draw: the same parameter
            "var a = Kit::Variant.Draw(\"07.1\", from: 0, to: 9, standard: 0);\nvar b = Kit::Variant.Draw(\"07.1\", -2, 5, -2);",
            "var n = 4;\nvar c = Kit::Variant.Draw(\"07.2\", 1, n, standard: 1);\nvar d = Kit::Variant.Draw(\"07.2\", 1, 4 + n, standard: 1);",   // computed ranges
            "var e = Kit::Variant.Draw(\"07.3\", 4, 1, standard: 2);",   // an empty range: Variant.Draw throws
            "var f = Kit::Variant.Seed(\"07.4\");",
            "var g = Kit::Variant.Draw(\"07.5\", 1, 99999999999, standard: 1);");   // not an int

        Assert.Equal(["06.3", "07.1", "07.2", "07.3", "07.4", "07.5"], VariantCell.Exercises(lesson));
        Assert.Equal([("06.3", 1, 4), ("07.1", -2, 5), ("07.1", 0, 9)], VariantCell.Draws(lesson));
        Assert.Empty(VariantCell.Draws(Lesson("var x = Kit::Variant.Seed(\"07.4\");", "var y = 1;")));
        Assert.Empty(Key("ann").Drawn("ann", []));
    }

    private static (string, SubmissionGrade) Graded(string student, string id, bool passed, string message, params (int From, int To, int Value)[] drawn) =>
        (student, new SubmissionGrade($"{student}.ipynb", id[..2],
            [new ExerciseGrade(id, 1, passed ? 1 : 0, passed, message) { Variant = drawn.Length == 0 ? null : [.. drawn.Select(d => new ExerciseGrade.Drawn(d.From, d.To, d.Value))] },
             new ExerciseGrade($"{id[..2]}.1", 1, 1, true, "✔ passed")],
            passed ? 2 : 1, 2, []));

    [Fact]
    public void The_analysis_counts_each_drawn_value_s_students_by_their_best_submission()
    {
        const string Fail = "✘ Exercise 06.3 (layer): BrokenHiddenLayer() — expected 2, got 3.";
        const string Stub = "✘ Exercise 06.3 (layer): not attempted yet — replace the line …";
        var analysis = ExerciseAnalysis.Of(
        [
            Graded("ann", "06.3", false, Fail, (1, 4, 2), (0, 9, 7)),
            Graded("ann", "06.3", true, "✔ passed", (1, 4, 2), (0, 9, 7)),   // her best: passed
            Graded("bob", "06.3", false, Fail, (1, 4, 2), (0, 9, 3)),
            Graded("cat", "06.3", false, Stub, (1, 4, 4), (0, 9, 7)),        // not attempted
            Graded("dan", "06.3", true, "✔ passed", (1, 4, 1), (0, 9, 3)),
            Graded("eve", "06.3", false, Fail, (1, 4, 4), (0, 9, 3)),
            Graded("fay", "06.3", false, Fail),                               // not on the roster: no variant, in no row
        ]);

        var exercise = analysis.Exercises.Single(e => e.Id == "06.3");
        Assert.Equal((6, 5, 2, 3), (exercise.Students, exercise.Attempted, exercise.Passed, exercise.Failed));
        Assert.Equal(
        [
            ("Draw 0–9", 3, 3, 3, 1, 2), ("Draw 0–9", 7, 2, 1, 1, 0),
            ("Draw 1–4", 1, 1, 1, 1, 0), ("Draw 1–4", 2, 2, 2, 1, 1), ("Draw 1–4", 4, 2, 1, 0, 1),
        ], exercise.Variants.Select(v => (v.Parameter, v.Value, v.Students, v.Attempted, v.Passed, v.Failed)));
        Assert.Empty(analysis.Exercises.Single(e => e.Id == "06.1").Variants);

        var concepts = new ConceptCheckClass(ConceptBank.Load(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), Path.GetTempPath()), [], [], null);
        var json = AnalysisReport.Json(analysis, concepts);
        var exercises = json["exercises"]!.AsArray().ToDictionary(e => e!["id"]!.GetValue<string>(), e => e!.AsObject());
        Assert.False(exercises["06.1"].ContainsKey("variants"));   // an exercise without variants: as before
        var first = exercises["06.3"]["variants"]![0]!;
        Assert.Equal("""{"parameter":"Draw 0–9","from":0,"to":9,"value":3,"students":3,"attempted":3,"passed":1,"failed":2}""",
            first.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        var page = AnalysisPage.Html(analysis, concepts);
        Assert.Contains("<h3>Exercise 06.3 per variant: <code>Draw 1–4</code></h3>", page, StringComparison.Ordinal);
        Assert.Contains("1 student(s) had no variant", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>4</td><td>2</td><td>1</td><td>0</td><td>1</td><td>0 %</td></tr>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_kept_by_resume_keeps_its_drawn_value()
    {
        var folder = Directory.CreateTempSubdirectory("variant-resume-").FullName;
        try
        {
            var (_, grade) = Graded("ann", "06.3", true, "✔ passed", (1, 4, 2));
            var report = Path.Combine(folder, "report.json");
            File.WriteAllText(report, GradeReport.Json([new GradedSubmission(grade.Cleaned(), [], [])]));

            var kept = Assert.Single(GradeReport.Read(report)).Grade;
            Assert.Equal([new ExerciseGrade.Drawn(1, 4, 2)], kept.Exercises.Single(e => e.Id == "06.3").Variant!);
            Assert.Null(kept.Exercises.Single(e => e.Id == "06.1").Variant);
            Assert.DoesNotContain("\"variant\": null", File.ReadAllText(report), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
