using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.DotNet.Interactive;

namespace Backprop.Course.Policy;

/// <summary>
/// What a student's cell may contain, checked before it runs. The cell is read as the engine reads it (<see cref="CellDirectives"/>): every line
/// terminator Roslyn accepts (\n, \r, \r\n, U+0085, U+2028, U+2029), every directive Roslyn sees, and every magic
/// command the engine's own parser finds — only <c>#nullable</c>, <c>#pragma</c> and <c>#region</c> may stay. It is
/// then compiled (Roslyn, as a script submission after the cells before it, with the kit's and the framework's
/// references): a cell that does not compile is refused with the compiler's message. Every symbol the cell names and
/// every member its code calls (implicitly too: foreach, await, operators, conversions, deconstruction, queries) is
/// resolved and must be allowed by <see cref="AllowList"/> (<c>CellAllowList.txt</c>, one reviewed file) or declared by
/// the notebook itself. Unsafe code, finalizers, dynamic and redefining the kit's aliases are refused by syntax.
/// </summary>
/// <remarks>
/// Memory: the cells are chained as the engine chains them, but a cell that declares nothing (no variable, method,
/// type or using) is not kept in the chain, since no later cell can refer to it; the grader caps the number of code
/// cells (<see cref="Grading.Grader.MaxCodeCells"/>), so the chain's size is bounded whatever a submission holds.
/// </remarks>
internal sealed class CellPolicy
{
    /// <summary>Aliases the kit's setup defines for check cells: a student cell may not redefine them.</summary>
    private readonly HashSet<string> _kitAliases;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly string _prelude;
    private readonly AllowList _allowList;

    /// <param name="kit">The kit image (its managed DLLs become references; its setup script gives the usings and aliases).</param>
    /// <param name="allowList">The rules (default: the shipped <c>CellAllowList.txt</c>).</param>
    public CellPolicy(KitImage kit, AllowList? allowList = null)
    {
        _allowList = allowList ?? AllowList.Default;
        var references = new List<MetadataReference>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, bytes) in kit.ManagedLibraries())
        {
            seen.Add(name);
            references.Add(MetadataReference.CreateFromImage(bytes));
        }

        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var engine = new[] { typeof(Kernel).Assembly.Location, typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly.Location };
        foreach (var path in platform.Concat(engine).Where(p => p.Length > 0 && File.Exists(p)))
        {
            if (seen.Add(Path.GetFileName(path)))
            {
                try
                {
                    references.Add(MetadataReference.CreateFromFile(path));
                }
                catch (BadImageFormatException)
                {
                }
            }
        }

        _references = [.. references];
        var setupLines = kit.SetupScript.Split('\n').Select(l => l.Trim()).ToList();
        _kitAliases = [.. setupLines.Where(l => l.StartsWith("global using ", StringComparison.Ordinal) && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l["global using ".Length..].Split('=')[0].Trim())];
        // The engine's own usings, then the kit's (as plain usings: a script submission's usings carry over to the next).
        _prelude = string.Join('\n', new[] { "System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks" }
            .Select(n => $"using {n};")
            .Append("using static Microsoft.DotNet.Interactive.Kernel;")
            .Concat(setupLines.Where(l => l.StartsWith("global using ", StringComparison.Ordinal)).Select(l => l["global ".Length..])));
    }

    private CSharpCompilation? _preludeCompilation;

    /// <summary>A checker for one submission: cells are checked (and remembered) in the order they will run.</summary>
    public Checker Start() => new(this);

    /// <summary>
    /// The usings every cell starts from, compiled once and shared by every checker (a compilation is immutable): a chain
    /// starting from it reuses its bound references instead of binding the framework and the kit again per submission.
    /// </summary>
    private CSharpCompilation Prelude => LazyInitializer.EnsureInitialized(ref _preludeCompilation, () =>
    {
        var prelude = Checker.NewCompilation("prelude", _prelude, _references, null);
        _ = prelude.GetDiagnostics();
        return prelude;
    });

    /// <summary>Checks the cells of one submission in order.</summary>
    internal sealed class Checker
    {
        private static readonly CSharpParseOptions s_parse = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);
        private readonly CellPolicy _policy;
        private CSharpCompilation _previous;
        private int _count;

        public Checker(CellPolicy policy)
        {
            _policy = policy;
            _previous = policy.Prelude;
        }

        /// <summary>Remembers a cell that runs without being checked (the instructor's), so later cells can use what it declares; its directives are dropped.</summary>
        public void Trust(string source)
        {
            var compilation = Compile(string.Join('\n', CellDirectives.Lines(source).Select(l => CellDirectives.TrimStartAsRoslyn(l).StartsWith('#') ? "" : l)));
            Remember(compilation, compiles: !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error));
        }

        /// <summary>
        /// Null when the cell may run (and it is remembered); otherwise why not, in one sentence.
        /// <paramref name="exclusions"/>: an exercise's own deny rules, on top of the list.
        /// </summary>
        public string? Check(string source, AllowList? exclusions = null)
        {
            if (CellDirectives.Refusal(source) is { } directive)
            {
                return directive;
            }

            var compilation = Compile(source);
            var tree = compilation.SyntaxTrees.Single();
            if (CellDirectives.RoslynRefusal(tree) is { } roslynDirective)
            {
                return roslynDirective;
            }

            if (Syntax(tree) is { } syntax)
            {
                return syntax;
            }

            var error = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).OrderBy(d => d.Location.SourceSpan.Start).FirstOrDefault();
            if (error is not null)
            {
                var line = error.Location.GetLineSpan().StartLinePosition.Line + 1;
                return $"it does not compile (line {line}: {error.Id} {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)})";
            }

            if (new Judge(_policy._allowList.With(exclusions), compilation.GetSemanticModel(tree)).FirstRefusal(tree.GetRoot()) is { } refusal)
            {
                return refusal;
            }

            Remember(compilation, compiles: true);   // its errors were asked for above: none
            return null;
        }

        /// <summary>Chains a cell that compiled and declares something (a later cell can only refer to what a cell declares).</summary>
        private void Remember(CSharpCompilation compilation, bool compiles)
        {
            var root = (CompilationUnitSyntax)compilation.SyntaxTrees.Single().GetRoot();
            var declares = root.Usings.Count > 0 || root.Externs.Count > 0
                || (compilation.ScriptClass?.GetMembers().Any(m => !m.IsImplicitlyDeclared) ?? false);
            if (declares && compiles)
            {
                _previous = compilation;
            }
        }

        private CSharpCompilation Compile(string source) => NewCompilation($"cell{_count++}", source, _policy._references, _previous);

        internal static CSharpCompilation NewCompilation(string name, string source, ImmutableArray<MetadataReference> references, CSharpCompilation? previous) =>
            CSharpCompilation.CreateScriptCompilation(
                name,
                CSharpSyntaxTree.ParseText(source, s_parse),
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: false, nullableContextOptions: NullableContextOptions.Enable),
                previous);

        /// <summary>What is refused by its form: unsafe code, finalizers, extern and redefining the kit's aliases.</summary>
        private string? Syntax(SyntaxTree tree)
        {
            foreach (var node in tree.GetRoot().DescendantNodesAndSelf())
            {
                var reason = node switch
                {
                    ExternAliasDirectiveSyntax => "an extern alias",
                    UsingDirectiveSyntax { Alias: { } alias } when _policy._kitAliases.Contains(alias.Name.Identifier.ValueText) => $"a using alias that redefines the kit's alias {alias.Name.Identifier.ValueText}::",
                    UnsafeStatementSyntax or PointerTypeSyntax or FunctionPointerTypeSyntax or FixedStatementSyntax => "unsafe code",
                    RefTypeExpressionSyntax or MakeRefExpressionSyntax or RefValueExpressionSyntax => "unsafe code",
                    DestructorDeclarationSyntax => "a finalizer (it would run outside the cell)",
                    MemberDeclarationSyntax member when member.Modifiers.Any(m => m.IsKind(SyntaxKind.UnsafeKeyword) || m.IsKind(SyntaxKind.ExternKeyword)) => "unsafe or extern code",
                    LocalFunctionStatementSyntax local when local.Modifiers.Any(m => m.IsKind(SyntaxKind.UnsafeKeyword) || m.IsKind(SyntaxKind.ExternKeyword)) => "unsafe or extern code",
                    _ => null,
                };
                if (reason is not null)
                {
                    return $"line {node.GetLocation().GetLineSpan().StartLinePosition.Line + 1} uses {reason}";
                }
            }

            return null;
        }
    }

    /// <summary>Judges every symbol a compiled cell names or calls against the allow-list.</summary>
    private sealed class Judge(AllowList rules, SemanticModel model)
    {
        public string? FirstRefusal(SyntaxNode root)
        {
            foreach (var node in root.DescendantNodesAndSelf())
            {
                var reason = node switch
                {
                    SimpleNameSyntax name => Name(name),
                    ForEachStatementSyntax loop => Symbols(model.GetForEachStatementInfo(loop) is var f ? [f.GetEnumeratorMethod, f.MoveNextMethod, f.CurrentProperty, f.DisposeMethod] : []),
                    ForEachVariableStatementSyntax loop => Symbols(model.GetForEachStatementInfo(loop) is var f ? [f.GetEnumeratorMethod, f.MoveNextMethod, f.CurrentProperty, f.DisposeMethod] : []),
                    AwaitExpressionSyntax wait => Symbols(model.GetAwaitExpressionInfo(wait) is var a ? [a.GetAwaiterMethod, a.GetResultMethod, a.IsCompletedProperty] : []),
                    _ => null,
                } ?? Operation(node);
                if (reason is not null)
                {
                    return $"line {node.GetLocation().GetLineSpan().StartLinePosition.Line + 1} uses {reason}";
                }
            }

            return null;
        }

        /// <summary>The operation a node stands for: what it calls, creates, reads or converts to, and the type of its value.</summary>
        private string? Operation(SyntaxNode node)
        {
            var operation = model.GetOperation(node);
            if (operation is null || operation.Syntax != node)
            {
                return null;
            }

            ISymbol? symbol = operation switch
            {
                IInvocationOperation call => call.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                IMemberReferenceOperation member => member.Member,
                IBinaryOperation binary => binary.OperatorMethod,
                IUnaryOperation unary => unary.OperatorMethod,
                ICompoundAssignmentOperation compound => compound.OperatorMethod,
                IIncrementOrDecrementOperation step => step.OperatorMethod,
                IConversionOperation conversion => conversion.OperatorMethod,
                ICollectionExpressionOperation collection => collection.ConstructMethod,
                IDeconstructionAssignmentOperation deconstruction => model.GetDeconstructionInfo((AssignmentExpressionSyntax)deconstruction.Syntax).Method,
                _ => null,
            };
            if (operation.Kind is OperationKind.DynamicInvocation or OperationKind.DynamicMemberReference or OperationKind.DynamicIndexerAccess or OperationKind.DynamicObjectCreation)
            {
                return "dynamic (late binding)";
            }

            return (symbol is null ? null : Symbol(symbol)) ?? Type(operation.Type);
        }

        private string? Symbols(IEnumerable<ISymbol?> symbols) => symbols.OfType<ISymbol>().Select(Symbol).FirstOrDefault(r => r is not null);

        private string? Name(SimpleNameSyntax name)
        {
            if (model.GetAliasInfo(name) is { } alias && Symbol(alias.Target) is { } aliased)
            {
                return aliased;
            }

            var info = model.GetSymbolInfo(name);
            return Symbols(info.CandidateSymbols.Prepend(info.Symbol));
        }

        private string? Symbol(ISymbol symbol)
        {
            if (IsOwn(symbol))
            {
                return null;
            }

            switch (symbol)
            {
                case INamespaceSymbol:
                    return null;   // a namespace by itself does nothing; each type of it is judged where it is used
                case ITypeSymbol type:
                    return Type(type);
                case IMethodSymbol method:
                    var definition = method.ReducedFrom ?? method;
                    return Member(definition.ContainingType, definition.Name) ?? Type(definition.ReturnType)
                        ?? method.TypeArguments.Select(Type).FirstOrDefault(r => r is not null);
                case IPropertySymbol property:
                    return Member(property.ContainingType, property.Name) ?? Type(property.Type);
                case IFieldSymbol field:
                    return Member(field.ContainingType, field.Name) ?? Type(field.Type);
                case IEventSymbol e:
                    return Member(e.ContainingType, e.Name) ?? Type(e.Type);
                default:
                    return null;   // locals, parameters, labels, range variables: the cell's own
            }
        }

        private string? Member(INamedTypeSymbol? type, string member)
        {
            if (type is null || IsOwn(type))
            {
                return null;
            }

            var name = FullName(type);
            return rules.AllowsMember(name, member) ? Type(type) : Refused($"{Pretty(type)}.{member}", name);
        }

        private string? Type(ITypeSymbol? type)
        {
            switch (type)
            {
                case null or ITypeParameterSymbol or IErrorTypeSymbol:
                    return null;
                case IDynamicTypeSymbol:
                    return "dynamic (late binding)";
                case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                    return "unsafe code";
                case IArrayTypeSymbol array:
                    return Type(array.ElementType);
                case INamedTypeSymbol named when named.IsAnonymousType || IsOwn(named):
                    return named.TypeArguments.Select(Type).FirstOrDefault(r => r is not null);
                case INamedTypeSymbol named:
                    var name = FullName(named);
                    return rules.AllowsType(name) ? named.TypeArguments.Select(Type).FirstOrDefault(r => r is not null) : Refused(Pretty(named), name);
                default:
                    return null;
            }
        }

        private string Refused(string what, string type) =>
            rules.Why(type) is { } why ? $"{what} ({why}), which graded cells may not use" : $"{what}, which graded cells may not use (it is not in the course tool's CellAllowList.txt)";

        /// <summary>Declared by the notebook itself (this cell, an earlier one, or the instructor's cells): its code was judged where it was written.</summary>
        private static bool IsOwn(ISymbol symbol) => symbol.ContainingAssembly is { } assembly && assembly.IsInteractive
            || symbol.Locations.Any(l => l.IsInSource);
    }

    /// <summary>Namespace-qualified metadata name with the generic arity (System.Threading.Tasks.Task`1), nested types after '+'.</summary>
    private static string FullName(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        var prefix = definition.ContainingType is { } outer ? FullName(outer) + "+" : definition.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." : "";
        return prefix + definition.MetadataName;
    }

    private static string Pretty(INamedTypeSymbol type) => type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}
