using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Parsing;

namespace Backprop.Course.Policy;

/// <summary>
/// How <see cref="CellPolicy"/> reads a cell before compiling it, as the engine reads it: lines at every terminator Roslyn
/// accepts, directives after the white space Roslyn skips, magic commands where the engine's own parser finds them. Only
/// the harmless directives (<c>#nullable</c>, <c>#pragma</c>, <c>#region</c>) may stay in a graded cell.
/// </summary>
internal static class CellDirectives
{
    /// <summary>The directives a student cell may hold: they change warnings and folding, nothing else.</summary>
    private static readonly string[] s_harmlessDirectives = ["#nullable", "#pragma", "#region", "#endregion"];

    /// <summary>A kernel named csharp inside a composite kernel, as the engine has: its parser splits a cell where a magic command begins.</summary>
    private static readonly Lazy<Kernel> s_parserKernel = new(() =>
    {
        var csharp = new ParseOnlyKernel("csharp");
        var root = new CompositeKernel { csharp };
        root.DefaultKernelName = csharp.Name;
        return csharp;
    });

    /// <summary>The lines of a cell as Roslyn and the engine split them: at \r\n, \n, \r, U+0085, U+2028 and U+2029.</summary>
    public static IEnumerable<string> Lines(string source)
    {
        var start = 0;
        for (var i = 0; i < source.Length; i++)
        {
            if (SyntaxFacts.IsNewLine(source[i]))
            {
                yield return source[start..i];
                if (source[i] == '\r' && i + 1 < source.Length && source[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        yield return source[start..];
    }

    /// <summary>A line without the white space Roslyn skips before a directive (which includes U+FEFF, U+001A and every space separator).</summary>
    public static string TrimStartAsRoslyn(string line)
    {
        var i = 0;
        while (i < line.Length && (SyntaxFacts.IsWhitespace(line[i]) || char.IsWhiteSpace(line[i])))
        {
            i++;
        }

        return line[i..];
    }

    /// <summary>
    /// A line that starts with '#' (after the white space Roslyn skips, at any line terminator) is a directive or a magic
    /// command; so is anything the engine's own parser splits off. Only the harmless directives may stay.
    /// </summary>
    public static string? Refusal(string source)
    {
        foreach (var line in Lines(source).Select(TrimStartAsRoslyn))
        {
            if (line.StartsWith('#') && !s_harmlessDirectives.Any(h => line.StartsWith(h, StringComparison.Ordinal)))
            {
                return DirectiveRefusal(line);
            }
        }

        // The engine's parser, asked where magic commands begin: a cell it does not pass through whole holds one.
        IReadOnlyList<KernelCommand> commands;
        lock (s_parserKernel)
        {
            commands = new SubmissionParser(s_parserKernel.Value).SplitSubmission(new SubmitCode(source, "csharp")).GetAwaiter().GetResult();
        }

        return commands is [SubmitCode only] && only.Code == source ? null
            : $"it has a magic command the notebook engine would run (graded cells may not load code, packages or other kernels)";
    }

    private static string DirectiveRefusal(string line)
    {
        var word = new string([.. line.TakeWhile(c => !char.IsWhiteSpace(c) && c != '"').Take(24)]);
        return $"it has the directive `{ReportText.OneLine(word)}` (graded cells may not load code, packages or other kernels)";
    }

    /// <summary>Every directive Roslyn parsed (#load, #r, #! and the rest), wherever a line break put it.</summary>
    public static string? RoslynRefusal(SyntaxTree tree)
    {
        foreach (var trivia in tree.GetRoot().DescendantTrivia(descendIntoTrivia: true).Where(t => t.IsDirective))
        {
            var text = TrimStartAsRoslyn(trivia.ToString());
            if (!s_harmlessDirectives.Any(h => text.StartsWith(h, StringComparison.Ordinal)) || trivia.IsKind(SyntaxKind.BadDirectiveTrivia))
            {
                return DirectiveRefusal(text);
            }
        }

        return null;
    }

    /// <summary>A kernel that only gives the engine's parser a C# kernel to split submissions for; it never runs code.</summary>
    private sealed class ParseOnlyKernel(string name) : Kernel(name), IKernelCommandHandler<SubmitCode>
    {
        public Task HandleAsync(SubmitCode command, KernelInvocationContext context) => Task.CompletedTask;
    }
}
