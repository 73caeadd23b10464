using System.Net;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Course.Publishing;

/// <summary>
/// C# as HTML, each token in a span whose class says what it is (keyword, string, number, comment, directive, call, type),
/// from Roslyn's own tokens: hand-made on purpose, since it is a few lines over the parser the engine uses, and a
/// highlighting library would guess at C# (script submissions, raw strings) where Roslyn knows.
/// </summary>
internal static class CSharpHighlighter
{
    /// <summary>A cell's C# source as HTML, coloured from Roslyn's tokens (a script submission, as the engine parses it).</summary>
    public static string Html(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        var html = new StringBuilder();
        foreach (var token in tree.GetRoot().DescendantTokens())
        {
            Trivia(token.LeadingTrivia, html);
            var kind = token.Kind();
            var css = kind switch
            {
                _ when SyntaxFacts.IsKeywordKind(kind) => "kw",
                SyntaxKind.IdentifierToken when token.IsContextualKeyword() || token.Text is "var" or "nameof" => "kw",
                SyntaxKind.StringLiteralToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.InterpolatedStringStartToken
                    or SyntaxKind.InterpolatedStringEndToken or SyntaxKind.InterpolatedStringTextToken or SyntaxKind.InterpolatedRawStringEndToken
                    or SyntaxKind.InterpolatedSingleLineRawStringStartToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken
                    or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken => "str",
                SyntaxKind.NumericLiteralToken => "num",
                SyntaxKind.IdentifierToken when token.Parent?.Parent is InvocationExpressionSyntax
                    || token.Parent is MethodDeclarationSyntax or LocalFunctionStatementSyntax => "fn",
                SyntaxKind.IdentifierToken when token.Text.Length > 0 && char.IsUpper(token.Text[0]) => "ty",
                _ => null,
            };
            html.Append(css is null ? Esc(token.Text) : $"<span class=\"{css}\">{Esc(token.Text)}</span>");
            Trivia(token.TrailingTrivia, html);
        }

        return html.ToString();
    }

    private static void Trivia(SyntaxTriviaList trivia, StringBuilder html)
    {
        foreach (var t in trivia)
        {
            var kind = t.Kind();
            var css = kind switch
            {
                SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia or SyntaxKind.SingleLineDocumentationCommentTrivia => "com",
                _ when t.IsDirective || kind is SyntaxKind.ShebangDirectiveTrivia or SyntaxKind.SkippedTokensTrivia => "dir",
                _ => null,
            };
            var text = t.ToFullString();
            html.Append(css is null ? Esc(text) : $"<span class=\"{css}\">{Esc(text)}</span>");
        }
    }

    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}
