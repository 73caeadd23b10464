using System.Text.Json.Nodes;
using Backprop.Course.Grading;
using Backprop.Coursework;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// <c>grade --analysis</c> (issue 23, item 4) without an engine run: failing messages are grouped by their masked pattern
/// (the same mistake on other numbers is one group, a sign flip, a missing h′ and a dropped bias column are three), the
/// points per lesson are counted per student, and the report is escaped. The classic mistakes of the variant tests:
/// <see cref="AnalysisVariantTests"/>; the concept check and its gain: <see cref="ConceptCheckTests"/>.
/// </summary>
public sealed class AnalysisTests
{
    /// <summary>The check's message for a student's ∂L/∂W⁽¹⁾ of a 2-(2 + seed)-2 tanh network (seed <paramref name="seed"/>: other sizes, weights and input), made with <paramref name="mistake"/>.</summary>
    private static string Message(int seed, Func<Vector<double>, Vector<double>, Matrix<double>, Vector<double>, Matrix<double>> mistake)
    {
        var net = new Mlp([2, 2 + seed, 2], Activation.Tanh, Activation.Identity, seed: seed);
        var x = Vector<double>.Build.Dense([0.5 + 0.1 * seed, -1.0 + 0.05 * seed]);
        var t = Vector<double>.Build.Dense([1.0, -0.5]);
        var pass = net.Forward(x);
        var expected = net.Backward(pass, t, Loss.HalfSumOfSquares).WeightGradient(1);
        var deltaK = pass.Output - t;
        var z = pass.Z(1);
        var actual = mistake(x, deltaK, net.Layers[1].Weights, z);
        var thrown = Assert.Throws<ExerciseCheckException>(() => Check.Exercise("02.4", "both gradient matrices of one sample", () =>
            Check.Close("∂L/∂W⁽¹⁾ of the example", expected, actual, hint: "δ_j = (1 − z_j²) Σ_k w_kj δ_k; each gradient is δ times (1, input)")));
        return thrown.Message;
    }

    /// <summary>∂L/∂W⁽¹⁾ = δ_j (1, x_i), with δ_j = slope_j Σ_k w_kj δ_k (column j + 1 of W2: column 0 is the biases').</summary>
    private static Matrix<double> Gradient(Vector<double> x, Vector<double> deltaK, Matrix<double> w2, Vector<double> z, bool slope = true, bool bias = true, double sign = 1)
    {
        var deltaJ = Vector<double>.Build.Dense(z.Count, j => (slope ? 1 - z[j] * z[j] : 1) * w2.Column(j + 1).DotProduct(deltaK));
        var input = bias ? Vector<double>.Build.Dense(x.Count + 1, i => i == 0 ? 1 : x[i - 1]) : x;
        return sign * deltaJ.OuterProduct(input);
    }

    [Fact]
    public void The_same_mistake_on_other_numbers_is_one_group_and_a_sign_flip_a_missing_slope_and_a_dropped_bias_column_are_three()
    {
        var mistakes = new Dictionary<string, Func<Vector<double>, Vector<double>, Matrix<double>, Vector<double>, Matrix<double>>>
        {
            ["sign flip"] = (x, d, w, z) => Gradient(x, d, w, z, sign: -1),
            ["missing h′"] = (x, d, w, z) => Gradient(x, d, w, z, slope: false),
            ["dropped bias column"] = (x, d, w, z) => Gradient(x, d, w, z, bias: false),
        };
        var patterns = mistakes.ToDictionary(m => m.Key, m => new[] { 1, 2, 3 }.Select(seed => Message(seed, m.Value)).ToList());

        foreach (var (mistake, messages) in patterns)
        {
            Assert.Equal(3, messages.Distinct().Count());   // other networks: other numbers in every message
            Assert.Single(messages.Select(FailurePattern.Of).Distinct());
        }

        var groups = patterns.ToDictionary(p => p.Key, p => FailurePattern.Of(p.Value[0]));
        Assert.Equal(3, groups.Values.Distinct().Count());
        Assert.Contains("[got −expected]", groups["sign flip"], StringComparison.Ordinal);
        Assert.Contains("[got larger, same sign]", groups["missing h′"], StringComparison.Ordinal);
        Assert.Contains("[got one column fewer]", groups["dropped bias column"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HiddenActivation(W1, x, 0) — expected 0.6, got 0.5.", "HiddenActivation(W1, x, #) — expected #, got # [got smaller, same sign].")]
    [InlineData("WeightCount(2, 3, 2) of a 2-3-2 network — expected 17, got 12.", "WeightCount(#, #, #) of a #-#-# network — expected #, got # [got smaller, same sign].")]
    [InlineData("CentralDifference(L, w, 0, 1e-5) — expected 0.0113133, got 0.0226267.", "CentralDifference(L, w, #, #) — expected #, got # [got 2 × expected].")]
    [InlineData("y — expected -0.03, got 0.", "y — expected #, got # [got 0].")]
    [InlineData("x4 and W1 after f — expected 0.5, got NaN (3 of 5 entries differ)", "x4 and W1 after f — expected #, got # [got NaN] (some entries differ)")]
    [InlineData("the losses — expected 26 entries [1, 2, …], got 25 entries [1, 2, …].", "the losses — expected # entries [#, #, …], got # entries [#, #, …] [got one entry fewer].")]
    public void A_pattern_masks_the_numbers_and_keeps_what_they_say_about_the_mistake(string message, string pattern) =>
        Assert.Equal(pattern, FailurePattern.Of(message));

    private static (string, SubmissionGrade) Graded(string student, string lesson, params (string Id, int Points, bool Passed, string Message)[] exercises) =>
        (student, new SubmissionGrade($"{student}.ipynb", lesson,
            [.. exercises.Select(e => new ExerciseGrade(e.Id, e.Points, e.Passed ? e.Points : 0, e.Passed, e.Message))],
            exercises.Where(e => e.Passed).Sum(e => e.Points), exercises.Sum(e => e.Points), []));

    [Fact]
    public void A_student_counts_once_per_exercise_by_their_best_submission_and_the_points_per_lesson_are_a_histogram()
    {
        const string Stub = "✘ Exercise 00.1 (x): not attempted yet — replace the line …";
        var analysis = ExerciseAnalysis.Of(
        [
            Graded("ann", "00", ("00.1", 1, false, "✘ Exercise 00.1 (x): f — expected 1, got -1."), ("00.2", 1, false, Stub)),
            Graded("ann", "00", ("00.1", 1, true, "✔ passed"), ("00.2", 1, false, "✘ Exercise 00.2 (x): g — expected 0.5, got 0.25.")),
            Graded("bob", "00", ("00.1", 1, false, "✘ Exercise 00.1 (x): f — expected 2, got -2."), ("00.2", 1, false, Stub)),
            Graded("cat", "00", ("00.1", 1, false, "✘ Exercise 00.1 (x): f — expected 3, got -3."), ("00.2", 1, true, "✔ passed")),
            Graded("cat", "01", ("01.1", 2, true, "✔ passed")),
        ]);

        var first = analysis.Exercises.Single(e => e.Id == "00.1");
        Assert.Equal((3, 3, 1, 2), (first.Students, first.Attempted, first.Passed, first.Failed));
        var group = Assert.Single(first.Failures);   // bob's and cat's sign flips, with other numbers
        Assert.Equal(["bob", "cat"], group.Students);
        var second = analysis.Exercises.Single(e => e.Id == "00.2");
        Assert.Equal((3, 2, 1, 1), (second.Students, second.Attempted, second.Passed, second.Failed));   // bob never attempted it
        var lesson = analysis.Lessons.Single(l => l.Id == "00");
        Assert.Equal([1, 2, 0], lesson.StudentsWithPoints);   // bob 0; ann 1 (her best of each exercise); cat 1
        Assert.Equal((2, 1.0), (lesson.Possible, lesson.Median));
        Assert.Equal(["00.1", "00.2", "01.1"], analysis.Exercises.Select(e => e.Id));
    }

    [Fact]
    public void The_report_escapes_ids_and_messages_and_its_json_has_room_for_variants()
    {
        var folder = Directory.CreateTempSubdirectory("analysis-").FullName;
        try
        {
            var hostile = "<img src=x onerror=alert(1)>\u001b[31m";
            var graded = new List<(Submission, SubmissionGrade)>
            {
                (new Submission(Path.Combine(folder, "missing.ipynb"), folder, hostile), Graded(hostile, "00", ("00.1", 1, false, "✘ Exercise 00.1 (x): <script>alert('x')</script> — expected 1, got 2.")).Item2),
            };
            var html = Path.Combine(folder, "analysis.html");

            AnalysisReport.Write(html, graded, Course.Kit.RepositoryRoot(AppContext.BaseDirectory), folder);

            var page = File.ReadAllText(html);
            Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<img", page, StringComparison.Ordinal);
            Assert.DoesNotContain("\u001b", page, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
            var json = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(html, ".json")))!;
            Assert.Equal(AnalysisReport.Schema, json["schema"]!.GetValue<string>());
            var exercise = json["exercises"]![0]!.AsObject();
            Assert.Equal(["id", "lesson", "points", "students", "attempted", "passed", "failed", "failures"], exercise.Select(p => p.Key));
            Assert.EndsWith("expected #, got # [got 2 × expected].", exercise["failures"]![0]!["pattern"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(hostile.Replace("\u001b", "\\u001b", StringComparison.Ordinal), exercise["failures"]![0]!["students"]![0]!.GetValue<string>());
            Assert.False(json["concept_check"]!["key"]!.GetValue<bool>());   // no key in this lessons folder
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
