using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Course.Publishing;

internal sealed partial class AppExporter
{
    /// <summary>The cells of one notebook compiled as the engine compiles them, and each one's translation.</summary>
    private sealed class Translation
    {
        private static readonly CSharpCompilationOptions s_options = new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        private readonly string _notebook;
        private readonly ImmutableArray<MetadataReference> _references;
        private readonly AppManifest _kit;

        /// <summary>The name each member a cell declares has in the app (renamed when an earlier cell declared the name).</summary>
        private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _memberOwner = new(StringComparer.Ordinal);
        private readonly List<string> _usings = [];
        private CSharpCompilation _previous;
        private int _count;

        public Translation(string notebook, CSharpCompilation prelude, AppManifest manifest)
        {
            _notebook = notebook;
            _references = prelude.ExternalReferences;
            _kit = manifest;
            _previous = prelude;
        }

        /// <summary>The engine's usings and the kit's, as the setup cell leaves them: a submission's usings hold for the later ones.</summary>
        public static CSharpCompilation Prelude(ImmutableArray<MetadataReference> references, AppManifest manifest)
        {
            var prelude = string.Join('\n', s_engineUsings.Select(n => $"using {n};").Append("using static Microsoft.DotNet.Interactive.Kernel;").Concat(manifest.Usings));
            var compilation = CSharpCompilation.CreateScriptCompilation("prelude", CSharpSyntaxTree.ParseText(prelude, s_script), references, s_options);
            _ = compilation.GetDiagnostics();   // binds the references once, for every notebook's chain
            return compilation;
        }

        public IReadOnlyList<string> Usings => _usings;

        public EmittedCell Setup(string source, int number, string? marker)
        {
            var lines = source.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal)).ToList();
            var unknown = lines.FirstOrDefault(l => !s_setupLines.Contains(l));
            if (unknown is not null)
            {
                throw new CourseException($"{_notebook}, cell {number} ({marker}): a setup cell holds only the kit's setup lines (an app's header does their work), but it has `{unknown}`; move that to a cell of its own.");
            }

            var method = $"Cell{number:00}";
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"    // ── cell {number} · {marker} ──\n");
            var loadsKit = lines.Contains(s_setupLines[2]);
            if (loadsKit)
            {
                text.Append("    // The notebook loads the kit here (artifacts/kit/setup.csx); the #:project lines above reference it. Its setup:\n");
                text.Append(CultureInfo.InvariantCulture, $"    private void {method}()\n    {{\n");
                foreach (var statement in _kit.SetupStatements)
                {
                    text.Append(CultureInfo.InvariantCulture, $"        {statement}\n");
                }

                text.Append("    }\n");
            }
            else
            {
                text.Append("    // The notebook builds the kit here if it is stale; `dotnet run` builds it through the #:project lines above.\n");
                text.Append(CultureInfo.InvariantCulture, $"    private void {method}()\n    {{\n    }}\n");
            }

            return new EmittedCell(number, marker, method, text.ToString());
        }

        /// <summary>One code cell as a method of the app (and the fields and members it declares); refuses what an app cannot do.</summary>
        public EmittedCell Cell(string source, int number, string? marker)
        {
            var where = $"{_notebook}, cell {number}{(marker is null ? "" : $" ({marker})")}";
            RefuseDirectives(source, where);
            var (tree, compilation) = Compile(source, number, where);
            var model = compilation.GetSemanticModel(tree);
            var root = (CompilationUnitSyntax)tree.GetRoot();
            if (root.Externs.Count > 0)
            {
                throw new CourseException($"{where}: `extern alias` needs a reference with that alias, which a lesson app does not have; use the kit's aliases (Core::, Lessons::, Kit::, LA::).");
            }

            // The cell's usings go to the top of the app (in the notebook they hold for the later cells too).
            foreach (var u in root.Usings)
            {
                _usings.Add(u.WithoutTrivia().ToString());
            }

            var declared = Declare(root, model, number, where);
            var rewriter = new CellRewriter(this, model, where);
            var (members, statements) = Translate(root, rewriter);
            var fields = new StringBuilder();
            foreach (var field in declared.OfType<IFieldSymbol>())
            {
                var type = rewriter.TypeText(field);
                fields.Append(CultureInfo.InvariantCulture, $"    private {type} {_names[Key(field)]}{(field.Type.IsValueType ? "" : " = default!")};\n");
            }

            var method = $"Cell{number:00}";
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"    // ── cell {number}{(marker is null ? "" : $" · {marker}")} ──\n");
            text.Append(members);
            text.Append(fields);
            AppendMethod(text, method, statements, Awaits(root));
            _previous = compilation;
            return new EmittedCell(number, marker, method, text.ToString());
        }

        /// <summary>Refuses the engine's directives (#r, #load, #i, #!…): an app cannot load code at run time.</summary>
        private static void RefuseDirectives(string source, string where)
        {
            foreach (var line in source.Split('\n').Select(l => l.Trim()))
            {
                if (line.StartsWith('#') && !(line.StartsWith("#nullable", StringComparison.Ordinal) || line.StartsWith("#pragma", StringComparison.Ordinal)
                        || line.StartsWith("#region", StringComparison.Ordinal) || line.StartsWith("#endregion", StringComparison.Ordinal)))
                {
                    var word = line.Split(' ', 2)[0];
                    throw new CourseException($"{where}: `{word}` loads code, a package or another kernel at run time, which a file-based app cannot do. Lesson cells may not use it: put what it loads into the kit (lib/kit.props).");
                }
            }
        }

        /// <summary>The cell compiled as the engine compiles it: a script submission after the earlier cells.</summary>
        private (SyntaxTree Tree, CSharpCompilation Compilation) Compile(string source, int number, string where)
        {
            var tree = CSharpSyntaxTree.ParseText(source, s_script);
            var compilation = CSharpCompilation.CreateScriptCompilation($"cell{number:00}x{_count++}", tree, _references, s_options, _previous);
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree == tree).ToList();
            if (errors.Count > 0)
            {
                var line = errors[0].Location.GetLineSpan().StartLinePosition.Line + 1;
                throw new CourseException($"{where}: the cell does not compile (line {line}: {errors[0].Id}: {errors[0].GetMessage(CultureInfo.InvariantCulture)}).");
            }

            return (tree, compilation);
        }

        /// <summary>The members this cell declares, each given its name in the app (a name an earlier cell declared is renamed).</summary>
        private List<ISymbol> Declare(CompilationUnitSyntax root, SemanticModel model, int number, string where)
        {
            var declared = new List<ISymbol>();
            foreach (var node in root.DescendantNodes())
            {
                var symbol = node switch
                {
                    VariableDeclaratorSyntax or SingleVariableDesignationSyntax or MethodDeclarationSyntax or LocalFunctionStatementSyntax or BaseTypeDeclarationSyntax or DelegateDeclarationSyntax
                        => model.GetDeclaredSymbol(node),
                    _ => null,
                };
                if (symbol is not null && IsCellMember(symbol) && !declared.Contains(symbol, SymbolEqualityComparer.Default))
                {
                    declared.Add(symbol);
                }
            }

            foreach (var symbol in declared)
            {
                var name = symbol.Name;
                if (s_reserved.Contains(name) || (name.StartsWith("Cell", StringComparison.Ordinal) && name[4..].All(char.IsAsciiDigit) && name.Length > 4))
                {
                    throw new CourseException($"{where}: it declares `{name}`, a name the lesson app uses itself; choose another name.");
                }

                if (symbol is IFieldSymbol field && Contains(field.Type, t => t.IsAnonymousType))
                {
                    throw new CourseException($"{where}: `{name}` holds an anonymous type, which another cell can use only in a notebook; use a tuple or a record.");
                }

                // The first cell to declare a name keeps it; a later declaration (the notebook's shadowing) is renamed.
                var owner = _memberOwner.TryGetValue(name, out var o) ? o : null;
                _memberOwner.TryAdd(name, $"cell{number}");
                _names[Key(symbol)] = owner is null || owner == $"cell{number}" ? name : $"{name}_cell{number}";
            }

            return declared;
        }

        /// <summary>The cell's members (functions, types: members of the lesson class) and statements (its method's body).</summary>
        private static (StringBuilder Members, string Statements) Translate(CompilationUnitSyntax root, CellRewriter rewriter)
        {
            var members = new StringBuilder();
            var statements = new StringBuilder();
            var globals = root.Members.OfType<GlobalStatementSyntax>().ToList();
            foreach (var member in root.Members)
            {
                switch (member)
                {
                    case FieldDeclarationSyntax field:
                        statements.Append(rewriter.Assignments(field.Declaration, field.GetLeadingTrivia(), field.GetTrailingTrivia()));
                        break;
                    case GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local } global:
                        statements.Append(rewriter.Assignments(local.Declaration, global.GetLeadingTrivia(), global.GetTrailingTrivia()));
                        break;
                    case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax function }:
                        members.Append(Indent(rewriter.Visit(function)!.ToFullString().Trim('\n', '\r') + "\n", "    "));
                        break;
                    case GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last } when member == globals[^1]:
                        statements.Append(rewriter.Shown(last));
                        break;
                    case GlobalStatementSyntax global:
                        statements.Append(rewriter.Visit(global.Statement)!.ToFullString());
                        break;
                    case MemberDeclarationSyntax declaration:
                        members.Append(Indent(rewriter.Visit(declaration)!.ToFullString().Trim('\n', '\r') + "\n", "    "));
                        break;
                }
            }

            return (members, statements.ToString());
        }

        /// <summary>True when the cell's own statements await (outside lambdas and local functions): its method is then async.</summary>
        private static bool Awaits(CompilationUnitSyntax root) =>
            root.Members.OfType<GlobalStatementSyntax>().SelectMany(g => g.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
                .Any(n => n is AwaitExpressionSyntax || n is ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } || n is UsingStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword });

        /// <summary>The cell's method: its statements as the body (an async method behind a blocking one when it awaits).</summary>
        private static void AppendMethod(StringBuilder text, string method, string statements, bool awaits)
        {
            var body = Indent(Dedent(statements).Trim('\n', '\r') + "\n", "        ");
            if (awaits)
            {
                text.Append(CultureInfo.InvariantCulture, $"    private void {method}() => {method}Async().GetAwaiter().GetResult();\n\n");
                text.Append(CultureInfo.InvariantCulture, $"    private async Task {method}Async()\n    {{\n{body}    }}\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"    private void {method}()\n    {{\n{(statements.Trim().Length == 0 ? "" : body)}    }}\n");
            }
        }

        /// <summary>The app's name for a member a cell declared, or null when the symbol is not one.</summary>
        public string? NameOf(ISymbol symbol) => IsCellMember(symbol) && _names.TryGetValue(Key(symbol), out var name) ? name : null;

        private static bool IsCellMember(ISymbol symbol) => symbol.ContainingType is { IsScriptClass: true } && symbol is IFieldSymbol or IMethodSymbol or INamedTypeSymbol;

        private static string Key(ISymbol symbol)
        {
            var definition = (symbol as IMethodSymbol)?.ReducedFrom ?? symbol.OriginalDefinition;
            return $"{definition.ContainingAssembly?.Name}|{definition.Kind}|{definition.ToDisplayString()}";
        }

        private static bool Contains(ITypeSymbol type, Func<ITypeSymbol, bool> test) => test(type) || type switch
        {
            INamedTypeSymbol named => named.TypeArguments.Any(t => Contains(t, test)),
            IArrayTypeSymbol array => Contains(array.ElementType, test),
            _ => false,
        };
    }
}
