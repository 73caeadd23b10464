using Backprop.Course.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// An exercise measures the student's own work only if the lesson has not already written it out: no code cell before an
/// exercise computes what the exercise's solution computes (compared as Roslyn reads it, layout and comments aside).
/// </summary>
/// <remarks>
/// An answer is a value the solution returns or assigns that does some work of its own: an operator (<c>y - t</c>, a
/// conditional) or a call with arguments (<c>W.TransposeThisAndMultiply(delta)</c>). A name, a literal, a member
/// (<c>net.Layers.Count</c>) or an element (<c>x[i - 1]</c>) is a building block the lesson may show freely.
/// A fix-the-bug exercise repairs a function the lesson shows above (a function with the same return and parameter
/// types): the values that function already computes are given, so only what the solution changes is its answer.
/// </remarks>
public sealed class ExerciseIntegrityTests
{
    private static readonly string s_root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);

    /// <summary>Fewer tokens than this (a name, a literal, -x) is a building block, not an answer.</summary>
    private const int MinimumTokens = 3;

    public static TheoryData<string> Notebooks() =>
        [.. Directory.GetFiles(Path.Combine(s_root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void No_worked_cell_before_an_exercise_holds_its_answer(string name)
    {
        var cells = NotebookDocument.Load(Path.Combine(s_root, "notebooks", name)).Cells.Where(c => c.IsCode).ToList();
        var found = new List<string>();
        for (var e = 0; e < cells.Count; e++)
        {
            if (cells[e].Marker?.Kind != MarkerKind.Exercise)
            {
                continue;
            }

            var worked = cells.Take(e).Where(c => c.Marker is null).Select(c => c.Source).ToList();
            var answers = Answers(SolutionRegions(cells[e].Source), Given(cells[e].Source, worked)).ToHashSet(StringComparer.Ordinal);
            foreach (var earlier in worked)
            {
                found.AddRange(Expressions(earlier).Where(answers.Contains).Distinct()
                    .Select(a => $"exercise {cells[e].Marker!.Id}: a cell above it computes `{a}`:\n{Indent(earlier)}"));
            }
        }

        Assert.True(found.Count == 0, $"{name}: a worked cell before an exercise holds its answer (move it after the exercise as the reveal, work a different case, or make it the exercise):\n" + string.Join("\n", found));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void A_lessons_exercises_are_numbered_in_the_order_a_student_meets_them(string name)
    {
        var lesson = name[..2];
        var ids = NotebookDocument.Load(Path.Combine(s_root, "notebooks", name)).Cells
            .Where(c => c.Marker?.Kind == MarkerKind.Exercise).Select(c => c.Marker!.Id).ToList();
        var expected = Enumerable.Range(1, ids.Count).Select(n => $"{lesson}.{n}").ToList();
        Assert.True(ids.SequenceEqual(expected), $"{name}: the exercises read {string.Join(", ", ids)} from top to bottom; number them {string.Join(", ", expected)}");
    }

    [Fact]
    public void The_comparison_sees_an_answer_written_another_way_and_ignores_building_blocks()
    {
        var answers = Answers("return y - t;   // δ_k\nvar back = W2.RemoveColumn(0).TransposeThisAndMultiply(deltaOut);").ToList();
        Assert.Contains(Normal("y - t"), answers);
        Assert.Contains(Normal("W2.RemoveColumn(0).TransposeThisAndMultiply(deltaOut)"), answers);
        Assert.Contains(Normal("y - t"), Expressions("var deltaOut = y-t;  // the worked case"));
        Assert.Contains(Normal("W2.RemoveColumn(0).TransposeThisAndMultiply(deltaOut)"), Expressions("Console.WriteLine(W2 .RemoveColumn( 0 ) // drop the biases\n  .TransposeThisAndMultiply(deltaOut));"));
        Assert.Contains(Normal("d.OuterProduct(x1)"), Answers("return (d.OuterProduct(x1), e.OuterProduct(z1));"));
        Assert.Contains(Normal("W[row, i] * x[i - 1]"), Answers("sum += W[row, i] * x[i - 1];"));
        Assert.DoesNotContain(Normal("x[i - 1]"), Answers("sum += x[i - 1];"));
        Assert.DoesNotContain(Normal("net.Layers.Count"), Answers("int last = net.Layers.Count - 1;\nfor (int l = 0; l < net.Layers.Count; l++) n = net.Layers.Count;"));
        Assert.Empty(Answers("return 0;"));
        Assert.Empty(Answers("return h;\nvar z = x.Length;\nvar m = -x;"));
    }

    [Fact]
    public void A_repaired_function_answers_only_with_the_lines_it_changes()
    {
        const string buggy = "// with a bug\ndouble Slope(Vector<double> z, int j)\n{\n    var s = z[j] * z[j];\n    return 1 + s;\n}";
        const string exercise = "// EXERCISE 09.1 (1 point)\ndouble FixedSlope(Vector<double> z, int j)\n{\n    // BEGIN SOLUTION\n    var s = z[j] * z[j];\n    return 1 - s;\n    // END SOLUTION\n}";
        var answers = Answers(SolutionRegions(exercise), Given(exercise, [buggy])).ToList();
        Assert.Equal([Normal("1 - s")], answers);

        // A function of another shape is not the one being repaired: all of the solution is the answer again.
        const string other = "double Slope(Vector<double> z)\n{\n    var s = z[j] * z[j];\n    return 1 + s;\n}";
        Assert.Contains(Normal("z[j] * z[j]"), Answers(SolutionRegions(exercise), Given(exercise, [other])));
    }

    /// <summary>The text between // BEGIN SOLUTION and // END SOLUTION lines.</summary>
    private static string SolutionRegions(string source)
    {
        var inside = false;
        var lines = new List<string>();
        foreach (var line in source.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed == Marker.BeginSolution || trimmed == Marker.EndSolution)
            {
                inside = trimmed == Marker.BeginSolution;
            }
            else if (inside)
            {
                lines.Add(line);
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// The values the student is given: those an earlier function with the same return and parameter types as a function
    /// the exercise declares already computes — the exercise repairs that function.
    /// </summary>
    private static HashSet<string> Given(string exercise, IEnumerable<string> worked)
    {
        var shapes = Functions(Parse(exercise)).Select(f => f.Shape).ToHashSet(StringComparer.Ordinal);
        return worked.SelectMany(source => Functions(Parse(source)))
            .Where(f => shapes.Contains(f.Shape))
            .SelectMany(f => Computed(f.Body).Select(Normal))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every function a cell declares, with its shape (return type and parameter types) and its body.</summary>
    private static IEnumerable<(string Shape, SyntaxNode Body)> Functions(SyntaxNode root)
    {
        foreach (var node in root.DescendantNodes())
        {
            var (returns, parameters, body) = node switch
            {
                MethodDeclarationSyntax m => (m.ReturnType, m.ParameterList, (SyntaxNode?)m.Body ?? m.ExpressionBody),
                LocalFunctionStatementSyntax f => (f.ReturnType, f.ParameterList, (SyntaxNode?)f.Body ?? f.ExpressionBody),
                _ => (null, null, null),
            };
            if (returns is not null && parameters is not null && body is not null)
            {
                yield return ($"{Normal(returns)} ({string.Join(", ", parameters.Parameters.Select(p => p.Type is null ? "?" : Normal(p.Type)))})", body);
            }
        }
    }

    /// <summary>
    /// What a solution computes: the values it returns and assigns that do work of their own (an operator, or a call with
    /// arguments), leaving out those the student was given.
    /// </summary>
    private static IEnumerable<string> Answers(string solution, IReadOnlySet<string>? given = null) =>
        Computed(Parse(solution))
            .Where(DoesWork)
            .Where(e => e.DescendantTokens().Count() >= MinimumTokens)
            .Select(Normal)
            .Where(a => given is null || !given.Contains(a))
            .Distinct();

    /// <summary>The values code returns, initialises and assigns.</summary>
    private static IEnumerable<ExpressionSyntax> Computed(SyntaxNode root) =>
        root.DescendantNodes().Select(n => n switch
        {
            ReturnStatementSyntax r => r.Expression,
            ArrowExpressionClauseSyntax a => a.Expression,
            EqualsValueClauseSyntax v => v.Value,
            AssignmentExpressionSyntax s => s.Right,
            _ => null,
        }).OfType<ExpressionSyntax>().SelectMany(Values);

    /// <summary>The values an expression hands over: a tuple's elements one by one, brackets and casts aside.</summary>
    private static IEnumerable<ExpressionSyntax> Values(ExpressionSyntax expression) => expression switch
    {
        ParenthesizedExpressionSyntax p => Values(p.Expression),
        CastExpressionSyntax c => Values(c.Expression),
        TupleExpressionSyntax t => t.Arguments.SelectMany(a => Values(a.Expression)),
        _ => [expression],
    };

    /// <summary>An operator or a call with arguments: a computation, not just a name, member, element or literal.</summary>
    private static bool DoesWork(ExpressionSyntax expression) => expression switch
    {
        BinaryExpressionSyntax or ConditionalExpressionSyntax => true,
        InvocationExpressionSyntax call => call.ArgumentList.Arguments.Count > 0,
        _ => false,
    };

    /// <summary>Every expression of a cell, as Roslyn reads it.</summary>
    private static HashSet<string> Expressions(string source) =>
        Parse(source).DescendantNodes().OfType<ExpressionSyntax>().Select(Normal).ToHashSet(StringComparer.Ordinal);

    private static SyntaxNode Parse(string source) =>
        CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot();

    /// <summary>The node's tokens, one space apart: layout and comments do not count.</summary>
    private static string Normal(SyntaxNode node) => string.Join(' ', node.DescendantTokens().Select(t => t.Text));

    private static string Normal(string expression) => Normal(SyntaxFactory.ParseExpression(expression));

    private static string Indent(string source) => string.Join('\n', source.Split('\n').Take(12).Select(l => "      " + l));
}
