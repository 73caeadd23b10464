using System.Text.Json.Nodes;
using Backprop.Course.Cli;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// <c>grade --similarity</c> (issue 23, item 3): two students who share a solution, one with the names renamed, the layout
/// changed and comments added, rank first; a third, written independently, stays below the threshold with both. One grading
/// run of three lesson-00 notebooks serves every assertion.
/// </summary>
[Collection("grader")]
public sealed class SimilarityTests
{
    private const string Lesson00 = "00-start-here.ipynb";

    private static readonly Lazy<Task<(string Html, JsonArray Json)>> s_report = new(GradeAsync);

    private static readonly Dictionary<string, Dictionary<string, string>> s_students = new()
    {
        ["ann"] = new()
        {
            ["00.1"] = """
                // EXERCISE 00.1 (1 point)
                Vector<double> WithBias(Vector<double> x)
                {
                    var result = Vector<double>.Build.Dense(x.Count + 1);
                    result[0] = 1.0;
                    for (int k = 0; k < x.Count; k++)
                    {
                        result[k + 1] = x[k];
                    }
                    return result;
                }
                """,
            ["00.2"] = """
                // EXERCISE 00.2 (1 point)
                double Sigma(double a)
                {
                    double e = Math.Exp(-a);
                    double denominator = 1.0 + e;
                    return 1.0 / denominator;
                }
                """,
        },
        ["bob"] = new()
        {
            ["00.1"] = """
                // EXERCISE 00.1 (1 point)
                Vector<double> WithBias(Vector<double> input) {
                    // my own work, honestly <script>alert(1)</script>
                    var withOne = Vector<double>.Build.Dense(input.Count+1); withOne[0] = 1;
                    for (int idx = 0; idx < input.Count; idx++) { withOne[idx + 1] = input[idx]; }
                    return withOne;
                }
                """,
            ["00.2"] = """
                // EXERCISE 00.2 (1 point)
                double Sigma(double z) { double t = Math.Exp(-z); /* the exponential */ double d = 1 + t; return 1 / d; }
                """,
        },
        ["cat"] = new()
        {
            ["00.1"] = """
                // EXERCISE 00.1 (1 point)
                Vector<double> WithBias(Vector<double> x) => Vector<double>.Build.DenseOfEnumerable(new[] { 1.0 }.Concat(x));
                """,
            ["00.2"] = """
                // EXERCISE 00.2 (1 point)
                double Sigma(double a)
                {
                    if (a >= 0) return 1.0 / (1.0 + Math.Exp(-a));
                    var ea = Math.Exp(a);
                    return ea / (1.0 + ea);
                }
                """,
        },
    };

    private static async Task<(string Html, JsonArray Json)> GradeAsync()
    {
        var kit = EngineFixture.Shared;
        var work = Path.Combine(kit.Scratch, "similarity");
        var folder = Directory.CreateDirectory(Path.Combine(work, "submissions")).FullName;
        var instructor = NotebookDocument.Load(Path.Combine(kit.NotebooksFolder, Lesson00));
        foreach (var (student, exercises) in s_students)
        {
            var cells = instructor.Cells.Select(c => c.Copy()).ToList();
            foreach (var cell in cells.Where(c => c.Marker is { Kind: MarkerKind.Exercise }))
            {
                cell.Source = exercises[cell.Marker!.Id];
            }

            instructor.WithCells(cells, student + ".ipynb").Save(Path.Combine(folder, student + ".ipynb"));
        }

        var report = Path.Combine(work, "similarity.html");
        var stderr = new StringWriter();
        var exit = await Program.RunAsync(["grade", folder, "--jobs", "2", "--similarity", report, "--output", Path.Combine(work, "report.json")], kit.Root, TextWriter.Null, stderr);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        return (File.ReadAllText(report), JsonNode.Parse(File.ReadAllText(Path.Combine(work, "similarity.json")))!.AsArray());
    }

    [Fact]
    public async Task The_shared_solution_ranks_first_and_the_independent_one_stays_below_the_threshold()
    {
        var (_, json) = await s_report.Value;

        var pairs = json.Select(p => (A: p!["a"]!.GetValue<string>(), B: p["b"]!.GetValue<string>(), Score: p["score"]!.GetValue<double>())).ToList();
        Assert.Equal(3, pairs.Count);
        Assert.Equal(("ann", "bob"), (pairs[0].A, pairs[0].B));
        Assert.True(pairs[0].Score >= SimilarityReport.Threshold, $"ann and bob: {pairs[0].Score}");
        Assert.All(pairs.Skip(1), p => Assert.True(p.Score < SimilarityReport.Threshold, $"{p.A} and {p.B}: {p.Score}"));
        Assert.Equal(pairs.OrderByDescending(p => p.Score), pairs);
        Console.WriteLine("similarity: " + string.Join(", ", pairs.Select(p => $"{p.A}–{p.B} {p.Score:0.00}")));
    }

    [Fact]
    public async Task The_page_states_the_threshold_shows_the_pair_side_by_side_and_escapes_the_code()
    {
        var (html, _) = await s_report.Value;

        Assert.Contains("at or above <strong>0.50</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>ann and bob: ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h2>ann and cat", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Renaming_reformatting_comments_and_literals_do_not_change_the_normalised_tokens()
    {
        var a = CodeFingerprint.Tokens("double Sigma(double a) { double e = Math.Exp(-a); return 1.0 / (1.0 + e); }");
        var b = CodeFingerprint.Tokens("double Sigma(double z)\n{\n    // note\n    double t = Math.Exp(-z);   /* x */\n    return 1 / (2 + t);\n}");
        var c = CodeFingerprint.Tokens("double Sigma(double z) { double t = Math.Exp(z); return 1 / (2 + t); }");

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);   // a dropped minus sign is a different program
        Assert.Contains("Math", a);   // names the code does not declare stay
        Assert.DoesNotContain("e", a);
    }
}
