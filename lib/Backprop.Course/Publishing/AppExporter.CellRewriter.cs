using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Course.Publishing;

internal sealed partial class AppExporter
{
    /// <summary>Rewrites one cell's code for the app: renamed members, display and HTML, hoisted declarations.</summary>
    private sealed class CellRewriter(Translation translation, SemanticModel model, string where) : CSharpSyntaxRewriter
    {
        /// <summary>`var x = e, y = f;` at the top of a cell: the assignments `x = e; y = f;` (the fields are declared apart).</summary>
        public string Assignments(VariableDeclarationSyntax declaration, SyntaxTriviaList leading, SyntaxTriviaList trailing)
        {
            var text = new StringBuilder();
            text.Append(leading.ToFullString());
            var written = declaration.Variables.Where(v => v.Initializer is not null).ToList();
            if (written.Count == 0)
            {
                // A declaration without a value only makes the field; its comments stay.
                var comment = trailing.ToFullString().Trim();
                text.Append(CultureInfo.InvariantCulture, $"// (declares {string.Join(", ", declaration.Variables.Select(v => v.Identifier.ValueText))}){(comment.Length > 0 ? " " + comment : "")}\n");
                return text.ToString();
            }

            for (var i = 0; i < written.Count; i++)
            {
                var variable = written[i];
                var symbol = model.GetDeclaredSymbol(variable)!;
                var name = translation.NameOf(symbol) ?? variable.Identifier.ValueText;
                var value = (ExpressionSyntax)Visit(variable.Initializer!.Value)!;
                var valueText = value.WithoutTrivia().ToString();
                if (variable.Initializer.Value is InitializerExpressionSyntax)
                {
                    // `int[] a = { 1, 2 };` has no assignment form: give the array its type.
                    valueText = $"new {TypeText((IFieldSymbol)symbol)} {valueText}";
                }

                text.Append(CultureInfo.InvariantCulture, $"{name} = {valueText};");
                text.Append(i == written.Count - 1 ? trailing.ToFullString() : "\n");
            }

            return text.ToString();
        }

        /// <summary>The cell's last expression, which the notebook shows: `LessonApp.Display(…);` for a chart or HTML, a plain statement for a void call.</summary>
        public string Shown(ExpressionStatementSyntax last)
        {
            var type = model.GetTypeInfo(last.Expression).Type;
            var expression = (ExpressionSyntax)Visit(last.Expression)!;
            if (type is null or { SpecialType: SpecialType.System_Void })
            {
                return last.GetLeadingTrivia().ToFullString() + expression.WithoutTrivia() + ";" + last.GetTrailingTrivia().ToFullString();
            }

            RequireShowable(last.Expression, type, "ends in an expression");
            return last.GetLeadingTrivia().ToFullString() + $"LessonApp.Display({expression.WithoutTrivia()});" + last.GetTrailingTrivia().ToFullString();
        }

        /// <summary>The type of a hoisted field, as written in the cell when it was, else as the compiler inferred it.</summary>
        public string TypeText(IFieldSymbol field)
        {
            if (field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Type: { IsVar: false } written } })
            {
                return Visit(written)!.WithoutTrivia().ToString();
            }

            return field.Type.ToMinimalDisplayString(model, model.SyntaxTree.GetRoot().Span.End - 1);
        }

        public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
        {
            var info = model.GetSymbolInfo(node);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            if (symbol is not null && translation.NameOf(symbol) is { } name && name != node.Identifier.ValueText)
            {
                return node.WithIdentifier(SyntaxFactory.Identifier(node.Identifier.LeadingTrivia, name, node.Identifier.TrailingTrivia));
            }

            if (symbol?.ContainingNamespace?.ToDisplayString() is { } ns && (ns.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal) || ns.StartsWith("Microsoft.AspNetCore.Html", StringComparison.Ordinal))
                && node.Parent is not InvocationExpressionSyntax)
            {
                throw Refuse(node, $"`{node.Identifier.ValueText}` is the notebook engine's; a lesson app has no engine (display(…) and HTML(…) are the only parts it translates)");
            }

            return base.VisitIdentifierName(node);
        }

        public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            if (model.GetSymbolInfo(node).Symbol is IMethodSymbol { ContainingType: { } type } method && type.ToDisplayString() == "Microsoft.DotNet.Interactive.Kernel")
            {
                if (method.Name is not ("display" or "HTML"))
                {
                    throw Refuse(node, $"`{method.Name}(…)` is the notebook engine's; a lesson app has no engine");
                }

                if (node.ArgumentList.Arguments.Count != 1)
                {
                    throw Refuse(node, $"`{method.Name}(…)` with more than one argument (MIME types) exists only in a notebook");
                }

                var argument = (ExpressionSyntax)Visit(node.ArgumentList.Arguments[0].Expression)!;
                if (method.Name == "HTML")
                {
                    return SyntaxFactory.ParseExpression($"LessonApp.Html({argument.WithoutTrivia()})").WithTriviaFrom(node);
                }

                if (node.Parent is not ExpressionStatementSyntax)
                {
                    throw Refuse(node, "the value display(…) returns exists only in a notebook; call display(…) as a statement");
                }

                RequireShowable(node.ArgumentList.Arguments[0].Expression, model.GetTypeInfo(node.ArgumentList.Arguments[0].Expression).Type, "displays a value");
                return SyntaxFactory.ParseExpression($"LessonApp.Display({argument.WithoutTrivia()})").WithTriviaFrom(node);
            }

            return base.VisitInvocationExpression(node);
        }

        public override SyntaxNode? VisitDeclarationExpression(DeclarationExpressionSyntax node)
        {
            // `var (a, b) = …` or `out var n` at the top of a cell declares fields: assign them instead.
            if (Hoisted(node.Designation) is { } target)
            {
                return target.WithTriviaFrom(node);
            }

            return base.VisitDeclarationExpression(node);
        }

        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
            return model.GetDeclaredSymbol(node) is { } symbol && translation.NameOf(symbol) is { } name && name != node.Identifier.ValueText
                ? visited.WithIdentifier(SyntaxFactory.Identifier(node.Identifier.LeadingTrivia, name, node.Identifier.TrailingTrivia))
                : visited;
        }

        public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
        {
            var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
            return model.GetDeclaredSymbol(node) is { } symbol && translation.NameOf(symbol) is { } name && name != node.Identifier.ValueText
                ? visited.WithIdentifier(SyntaxFactory.Identifier(node.Identifier.LeadingTrivia, name, node.Identifier.TrailingTrivia))
                : visited;
        }

        public override SyntaxNode? VisitIsPatternExpression(IsPatternExpressionSyntax node)
        {
            if (node.Pattern.DescendantNodesAndSelf().OfType<SingleVariableDesignationSyntax>().Any(d => model.GetDeclaredSymbol(d) is { } s && translation.NameOf(s) is not null))
            {
                throw Refuse(node, "a pattern variable at the top of a cell is shared with later cells only in a notebook; declare the variable first, or put the code in a block");
            }

            return base.VisitIsPatternExpression(node);
        }

        private ExpressionSyntax? Hoisted(VariableDesignationSyntax designation)
        {
            switch (designation)
            {
                case SingleVariableDesignationSyntax single when model.GetDeclaredSymbol(single) is { } symbol && translation.NameOf(symbol) is { } name:
                    return SyntaxFactory.IdentifierName(name);
                case ParenthesizedVariableDesignationSyntax parts:
                    var elements = new List<ArgumentSyntax>();
                    foreach (var part in parts.Variables)
                    {
                        if (part is DiscardDesignationSyntax)
                        {
                            elements.Add(SyntaxFactory.Argument(SyntaxFactory.IdentifierName("_")));
                            continue;
                        }

                        if (Hoisted(part) is not { } element)
                        {
                            return null;
                        }

                        elements.Add(SyntaxFactory.Argument(element));
                    }

                    return SyntaxFactory.ParseExpression("(" + string.Join(", ", elements.Select(e => e.ToString())) + ")");
                default:
                    return null;
            }
        }

        private void RequireShowable(ExpressionSyntax expression, ITypeSymbol? type, string what)
        {
            for (var t = type; t is not null; t = t.BaseType)
            {
                if (t.ToDisplayString() is "Plotly.NET.GenericChart" or "Microsoft.AspNetCore.Html.IHtmlContent" or WireContract.HtmlFragmentType)
                {
                    return;
                }
            }

            if (type?.AllInterfaces.Any(i => i.ToDisplayString() == "Microsoft.AspNetCore.Html.IHtmlContent") == true)
            {
                return;
            }

            throw Refuse(expression, $"it {what} of type {type?.ToDisplayString() ?? "unknown"}, whose value only a notebook shows. A lesson shows charts and HTML(…); print anything else with Console.WriteLine(…), or end the line with ';'");
        }

        private CourseException Refuse(SyntaxNode node, string why)
        {
            var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            return new CourseException($"{where}, line {line}: {why}.");
        }
    }
}
