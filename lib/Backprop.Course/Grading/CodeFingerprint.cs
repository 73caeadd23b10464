using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Course.Grading;

/// <summary>
/// The fingerprint of a piece of C# for the similarity report: Roslyn's tokens of the code (comments, blank lines and
/// layout are trivia, so they are gone), with each name the code declares (a local, a parameter, a lambda's parameter,
/// a local function, a type) replaced by a placeholder for its role (<c>$v</c>, <c>$f</c>, <c>$t</c>) and each literal by
/// its kind (<c>$num</c>, <c>$str</c>, <c>$chr</c>); names the code does not declare (the library's <c>Vector</c>,
/// <c>Math.Exp</c>) stay, since a copy cannot rename them. Then winnowing (Schleimer, Wilkerson &amp; Aiken 2003, the
/// method of MOSS): hashes of every run of <see cref="K"/> tokens, of which each window of <see cref="Window"/>
/// consecutive hashes keeps its smallest. Any run of K + Window − 1 = 8 tokens two codes share is found; hashes are
/// FNV-1a, so the same code gives the same fingerprint in every process.
/// </summary>
internal static class CodeFingerprint
{
    /// <summary>Tokens per hashed run: 5 (a short statement; runs of keywords and punctuation alone are too common below that).</summary>
    public const int K = 5;

    /// <summary>Hashes per winnowing window: 4.</summary>
    public const int Window = 4;

    private static readonly CSharpParseOptions s_script = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>The normalised token stream of <paramref name="code"/> (read as a notebook cell: a script).</summary>
    public static IReadOnlyList<string> Tokens(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, s_script).GetRoot();
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in root.DescendantNodes())
        {
            var (name, role) = node switch
            {
                VariableDeclaratorSyntax v => (v.Identifier, "$v"),
                ParameterSyntax p => (p.Identifier, "$v"),
                SingleVariableDesignationSyntax d => (d.Identifier, "$v"),
                ForEachStatementSyntax f => (f.Identifier, "$v"),
                LocalFunctionStatementSyntax f => (f.Identifier, "$f"),
                MethodDeclarationSyntax m => (m.Identifier, "$f"),
                BaseTypeDeclarationSyntax t => (t.Identifier, "$t"),
                _ => (default(SyntaxToken), ""),
            };
            if (role.Length > 0 && name.ValueText.Length > 0)
            {
                roles.TryAdd(name.ValueText, role);
            }
        }

        return [.. root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).Select(t => t.Kind() switch
        {
            SyntaxKind.IdentifierToken => roles.GetValueOrDefault(t.ValueText, t.ValueText),
            SyntaxKind.NumericLiteralToken => "$num",
            SyntaxKind.StringLiteralToken or SyntaxKind.InterpolatedStringTextToken or SyntaxKind.SingleLineRawStringLiteralToken
                or SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.Utf8StringLiteralToken => "$str",
            SyntaxKind.CharacterLiteralToken => "$chr",
            _ => t.Text,
        })];
    }

    /// <summary>Every hash of K consecutive tokens, each salted with <paramref name="salt"/> (the exercise id: the same code in two exercises is not one match).</summary>
    public static ulong[] KGrams(IReadOnlyList<string> tokens, string salt)
    {
        var hashes = new ulong[Math.Max(0, tokens.Count - K + 1)];
        for (var i = 0; i < hashes.Length; i++)
        {
            var h = Fnv(14695981039346656037UL, salt);
            for (var j = 0; j < K; j++)
            {
                h = Fnv(h ^ 0x1f, tokens[i + j]);
            }

            hashes[i] = h;
        }

        return hashes;
    }

    /// <summary>The winnowed fingerprint of <paramref name="code"/>: the smallest hash of each window of <see cref="Window"/> k-gram hashes.</summary>
    public static HashSet<ulong> Winnowed(string code, string salt)
    {
        var hashes = KGrams(Tokens(code), salt);
        var kept = new HashSet<ulong>();
        if (hashes.Length is > 0 and < Window)
        {
            kept.Add(hashes.Min());
        }

        for (var i = 0; i + Window <= hashes.Length; i++)
        {
            kept.Add(hashes.AsSpan(i, Window).ToArray().Min());
        }

        return kept;
    }

    private static ulong Fnv(ulong hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
