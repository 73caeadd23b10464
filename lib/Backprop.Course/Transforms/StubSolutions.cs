using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Transforms;

/// <summary>
/// Transform (release): an exercise cell's solution regions become the stub that throws "not attempted yet", and the
/// stubbed cell is proved to still compile with each stub inside a method body (else the student's cell would throw when run).
/// </summary>
internal static class StubSolutions
{
    /// <summary>The statement that replaces a solution region.</summary>
    public static string Stub(string exerciseId) =>
        $"throw new NotImplementedException(\"Exercise {exerciseId}: {WireContract.NotAttempted}\");";

    /// <summary>Whether the source has a solution marker (begin or end) anywhere.</summary>
    public static bool HasMarkers(string source) =>
        source.Contains(Marker.BeginSolution, StringComparison.Ordinal) || source.Contains(Marker.EndSolution, StringComparison.Ordinal);

    /// <summary>The source with each solution region replaced by <see cref="Stub"/>; a <see cref="CourseException"/> naming <paramref name="where"/> when the result would not work.</summary>
    public static string Apply(string source, string exerciseId, string where)
    {
        var stubbed = MarkedRegions.Remove(source, Marker.BeginSolution, Marker.EndSolution, where, indent => indent + Stub(exerciseId));
        var tree = CSharpSyntaxTree.ParseText(stubbed, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview));
        var syntaxErrors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (syntaxErrors.Count > 0)
        {
            throw new CourseException($"{where}: with its solution replaced by the stub, exercise {exerciseId} no longer compiles ({syntaxErrors[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture)}). Put each solution region inside a method body.");
        }

        var stubs = tree.GetRoot().DescendantNodes().OfType<ThrowStatementSyntax>().Where(t => t.ToString() == Stub(exerciseId)).ToList();
        foreach (var stub in stubs)
        {
            var body = stub.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or AnonymousFunctionExpressionSyntax or GlobalStatementSyntax or CompilationUnitSyntax);
            if (body is null or GlobalStatementSyntax or CompilationUnitSyntax)
            {
                throw new CourseException($"{where}: a solution region of exercise {exerciseId} is not inside a method body, so the student's cell would throw when run. Move `{Marker.BeginSolution}` … `{Marker.EndSolution}` into the body of the method the student writes.");
            }
        }

        return stubbed;
    }
}
