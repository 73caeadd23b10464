using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Course;

/// <summary>
/// What a student's cell may contain, checked before it runs. The cell is compiled (Roslyn, as a script
/// submission after the cells before it, with the kit's and the framework's references) and every name in it
/// is resolved to the symbol it means, so an alias, <c>global::</c> or <c>using static</c> does not hide what is
/// called. Refused: directives other than <c>#nullable</c>/<c>#pragma</c>/<c>#region</c> (so no <c>#r</c>,
/// <c>#load</c>, <c>#i</c> or <c>#!</c> magic), the engine's API, reflection, code generation, interop,
/// unsafe code, processes, the file system, the network, the environment, threads and timers that outlive
/// the cell, finalizers, console redirection, the kit's check API and its aliases.
/// </summary>
internal sealed class CellPolicy
{
    /// <summary>Namespaces a student cell may not touch at all, with what they give access to.</summary>
    private static readonly (string Namespace, string What)[] s_deniedNamespaces =
    [
        ("System.Reflection", "reflection"),
        ("System.Runtime.Loader", "assembly loading"),
        ("System.Runtime.InteropServices", "native interop"),
        ("System.Runtime.CompilerServices", "runtime internals"),
        ("System.Runtime.Serialization", "serialization"),
        ("System.Runtime.ExceptionServices", "runtime internals"),
        ("System.Linq.Expressions", "code generation"),
        ("System.CodeDom", "code generation"),
        ("System.ComponentModel", "reflection"),
        ("System.Resources", "resource loading"),
        ("System.Diagnostics", "processes and diagnostics"),
        ("System.IO", "the file system"),
        ("System.Net", "the network"),
        ("System.Security", "security APIs"),
        ("System.Timers", "timers that outlive the cell"),
        ("System.Web", "the network"),
        ("Microsoft.DotNet.Interactive", "the notebook engine's API"),
        ("Microsoft.CodeAnalysis", "the compiler"),
        ("Microsoft.Win32", "the operating system"),
        ("Microsoft.Extensions", "hosting APIs"),
        ("Microsoft.FSharp.Reflection", "reflection"),
        ("Microsoft.FSharp.Quotations", "code generation"),
        ("Backprop.Coursework", "the kit's check API (only check cells call it)"),
        ("MathNet.Numerics.Providers", "native libraries"),
    ];

    /// <summary>Types of otherwise denied namespaces that hold no way out.</summary>
    private static readonly HashSet<string> s_allowedTypes =
    [
        "System.Diagnostics.Stopwatch",
        "System.IO.MemoryStream", "System.IO.StringReader", "System.IO.StringWriter", "System.IO.TextReader", "System.IO.TextWriter",
        "System.IO.Stream", "System.IO.BinaryReader", "System.IO.BinaryWriter", "System.IO.SeekOrigin", "System.IO.IOException",
        "System.IO.EndOfStreamException", "System.IO.InvalidDataException",
        "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler", "System.Runtime.CompilerServices.ITuple",
        "System.Runtime.CompilerServices.IsExternalInit",
        "Microsoft.DotNet.Interactive.DisplayedValue", "Microsoft.DotNet.Interactive.Formatting.DisplayedValue", "Microsoft.DotNet.Interactive.DisplayExtensions",
    ];

    /// <summary>Namespaces inside a denied one that are harmless (attributes for the nullable analysis).</summary>
    private static readonly string[] s_allowedNamespaces = ["System.Diagnostics.CodeAnalysis"];

    /// <summary>Types a student cell may not use, with what they give access to.</summary>
    private static readonly Dictionary<string, string> s_deniedTypes = new(StringComparer.Ordinal)
    {
        ["System.AppDomain"] = "the process's assemblies and handlers",
        ["System.AppContext"] = "the process's switches and data",
        ["System.Activator"] = "reflection",
        ["System.RuntimeTypeHandle"] = "reflection",
        ["System.RuntimeMethodHandle"] = "reflection",
        ["System.RuntimeFieldHandle"] = "reflection",
        ["System.TypedReference"] = "unsafe code",
        ["System.ArgIterator"] = "unsafe code",
        ["System.Buffer"] = "unsafe memory copies",
        ["System.Threading.Thread"] = "threads that outlive the cell",
        ["System.Threading.ThreadPool"] = "threads that outlive the cell",
        ["System.Threading.Timer"] = "timers that outlive the cell",
        ["System.Threading.ExecutionContext"] = "runtime internals",
        ["System.Threading.SynchronizationContext"] = "runtime internals",
        ["System.Threading.Tasks.TaskFactory"] = "threads that outlive the cell",
        ["System.Threading.Tasks.TaskScheduler"] = "threads that outlive the cell",
        ["MathNet.Numerics.Control"] = "native libraries",
    };

    /// <summary>Types of which only some members are allowed.</summary>
    private static readonly Dictionary<string, (HashSet<string> Allowed, string What)> s_partlyAllowed = new(StringComparer.Ordinal)
    {
        ["System.Environment"] = (["NewLine", "ProcessorCount", "Version", "TickCount", "TickCount64", "Is64BitProcess", "Is64BitOperatingSystem"], "the process and its environment"),
        ["System.Console"] = (["Write", "WriteLine", "Out", "Error"], "console redirection and input"),
        ["System.Reflection.MemberInfo"] = (["Name"], "reflection"),
        ["System.Type"] = (["Name", "FullName", "Namespace", "IsValueType", "IsClass", "IsArray", "IsGenericType", "ToString", "Equals", "GetHashCode", "op_Equality", "op_Inequality"], "reflection"),
        ["System.Delegate"] = (["Invoke", "Combine", "Remove", "Equals", "GetHashCode", "op_Equality", "op_Inequality"], "reflection"),
        ["System.MulticastDelegate"] = (["Invoke", "Equals", "GetHashCode"], "reflection"),
        ["System.Threading.Tasks.Task"] = (["Delay", "CompletedTask", "FromResult", "WhenAll", "WhenAny", "Wait", "Result", "GetAwaiter", "ConfigureAwait", "IsCompleted", "IsFaulted", "Exception", "Status"], "threads that outlive the cell"),
        ["System.Threading.Tasks.Task`1"] = (["Result", "GetAwaiter", "ConfigureAwait", "Wait", "IsCompleted", "IsFaulted", "Exception", "Status"], "threads that outlive the cell"),
        ["Microsoft.DotNet.Interactive.Kernel"] = (["display", "HTML"], "the notebook engine's API"),
    };

    /// <summary>Names that, left unresolved, may mean something the policy refuses (a reference the checker lacks).</summary>
    private static readonly HashSet<string> s_suspiciousNames =
    [
        "Process", "ProcessStartInfo", "File", "FileInfo", "Directory", "DirectoryInfo", "FileStream", "Path", "Assembly", "AssemblyLoadContext",
        "Kernel", "KernelInvocationContext", "Environment", "AppDomain", "Activator", "Marshal", "NativeLibrary", "Thread", "ThreadPool",
        "Socket", "HttpClient", "WebClient", "DllImport", "Unsafe", "MethodInfo", "FieldInfo", "PropertyInfo", "BindingFlags", "Type",
    ];

    /// <summary>Aliases the kit's setup defines for check cells: a student cell may not redefine them.</summary>
    private readonly HashSet<string> _kitAliases;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly string _prelude;

    /// <param name="kit">The kit image (its managed DLLs become references; its setup script gives the usings and aliases).</param>
    public CellPolicy(KitImage kit)
    {
        var references = new List<MetadataReference>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, bytes) in kit.ManagedLibraries())
        {
            seen.Add(name);
            references.Add(MetadataReference.CreateFromImage(bytes));
        }

        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var engine = new[] { typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.Location, typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly.Location };
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

        /// <summary>Remembers a cell that runs without being checked (the instructor's), so later cells can use what it declares.</summary>
        public void Trust(string source) => Chain(source, check: false);

        /// <summary>Null when the cell may run (and it is remembered); otherwise why not, in one sentence.</summary>
        public string? Check(string source) => Chain(source, check: true);

        private string? Chain(string source, bool check)
        {
            if (check && Directive(source) is { } directive)
            {
                return directive;
            }

            // Directives the checker cannot follow (#load, #r) are the instructor's: drop them from a trusted cell.
            var text = check ? source : string.Join('\n', source.Split('\n').Select(l => l.TrimStart().StartsWith('#') ? "" : l));
            var compilation = Compile(text, _previous);
            if (check && Violation(compilation) is { } violation)
            {
                return violation;
            }

            if (!compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                _previous = compilation;
            }

            return null;
        }

        private CSharpCompilation Compile(string source, CSharpCompilation? previous) => NewCompilation($"cell{_count++}", source, _policy._references, previous);

        internal static CSharpCompilation NewCompilation(string name, string source, ImmutableArray<MetadataReference> references, CSharpCompilation? previous) =>
            CSharpCompilation.CreateScriptCompilation(
                name,
                CSharpSyntaxTree.ParseText(source, s_parse),
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: false, nullableContextOptions: NullableContextOptions.Enable),
                previous);

        /// <summary>Any line that starts with '#' is a directive or a magic command of the engine; only the harmless ones may stay.</summary>
        private static string? Directive(string source)
        {
            foreach (var line in source.Split('\n').Select(l => l.Trim()))
            {
                if (line.StartsWith('#') && !(line.StartsWith("#nullable", StringComparison.Ordinal) || line.StartsWith("#pragma", StringComparison.Ordinal)
                        || line.StartsWith("#region", StringComparison.Ordinal) || line.StartsWith("#endregion", StringComparison.Ordinal)))
                {
                    var word = line.Split(' ', 2)[0];
                    return $"it has the directive `{(word.Length > 24 ? word[..24] : word)}` (graded cells may not load code, packages or other kernels)";
                }
            }

            return null;
        }

        private string? Violation(CSharpCompilation compilation)
        {
            var tree = compilation.SyntaxTrees.Single();
            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot();
            foreach (var node in root.DescendantNodesAndSelf())
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
                    SimpleNameSyntax name => Judge(model, name),
                    BaseObjectCreationExpressionSyntax creation => JudgeSymbolOf(model, creation),
                    _ => null,
                };
                if (reason is not null)
                {
                    var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    return $"line {line} uses {reason}";
                }
            }

            return null;
        }

        private static string? JudgeSymbolOf(SemanticModel model, SyntaxNode node)
        {
            var info = model.GetSymbolInfo(node);
            foreach (var symbol in info.CandidateSymbols.Prepend(info.Symbol).OfType<ISymbol>())
            {
                if (JudgeSymbol(symbol) is { } reason)
                {
                    return reason;
                }
            }

            return null;
        }

        private static string? Judge(SemanticModel model, SimpleNameSyntax name)
        {
            if (model.GetAliasInfo(name) is { } alias && JudgeSymbol(alias.Target) is { } aliased)
            {
                return aliased;
            }

            var info = model.GetSymbolInfo(name);
            if (info.Symbol is null && info.CandidateSymbols.IsEmpty)
            {
                var type = model.GetTypeInfo(name).Type;
                if (type is IDynamicTypeSymbol)
                {
                    return "dynamic (late binding)";
                }

                return s_suspiciousNames.Contains(name.Identifier.ValueText) && type is null or IErrorTypeSymbol
                    ? $"'{name.Identifier.ValueText}', which it cannot resolve and which may name an API graded cells may not use"
                    : null;
            }

            return JudgeSymbolOf(model, name);
        }

        private static string? JudgeSymbol(ISymbol symbol)
        {
            switch (symbol)
            {
                case INamespaceSymbol ns:
                    // A namespace with some allowed types (System.IO.MemoryStream) is judged type by type.
                    var nsName = ns.ToDisplayString();
                    return DeniedNamespace(nsName) is { } what && !s_allowedTypes.Any(t => t.StartsWith(nsName + ".", StringComparison.Ordinal))
                            && !s_allowedNamespaces.Any(a => a.StartsWith(nsName + ".", StringComparison.Ordinal))
                        ? $"the namespace {nsName} ({what})"
                        : null;
                case ITypeSymbol type:
                    return JudgeType(type);
                case IMethodSymbol method:
                    var definition = method.ReducedFrom ?? method;
                    return JudgeMember(definition.ContainingType, definition.Name) ?? JudgeType(definition.ReturnType)
                        ?? (method.TypeArguments.Select(JudgeType).FirstOrDefault(r => r is not null));
                case IPropertySymbol property:
                    return JudgeMember(property.ContainingType, property.Name) ?? JudgeType(property.Type);
                case IFieldSymbol field:
                    return JudgeMember(field.ContainingType, field.Name) ?? JudgeType(field.Type);
                case IEventSymbol e:
                    return JudgeMember(e.ContainingType, e.Name) ?? JudgeType(e.Type);
                default:
                    return null;
            }
        }

        private static string? JudgeMember(INamedTypeSymbol? type, string member)
        {
            if (type is null)
            {
                return null;
            }

            var name = FullName(type);
            if (s_partlyAllowed.TryGetValue(name, out var partly))
            {
                return partly.Allowed.Contains(member) ? null : $"{Pretty(type)}.{member} ({partly.What})";
            }

            return JudgeType(type);
        }

        private static string? JudgeType(ITypeSymbol? type)
        {
            switch (type)
            {
                case null:
                    return null;
                case IDynamicTypeSymbol:
                    return "dynamic (late binding)";
                case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                    return "unsafe code";
                case IArrayTypeSymbol array:
                    return JudgeType(array.ElementType);
                case INamedTypeSymbol named:
                    var name = FullName(named);
                    if (s_partlyAllowed.ContainsKey(name) || s_allowedTypes.Contains(name))
                    {
                        return named.TypeArguments.Select(JudgeType).FirstOrDefault(r => r is not null);
                    }

                    if (s_deniedTypes.TryGetValue(name, out var what))
                    {
                        return $"{Pretty(named)} ({what})";
                    }

                    if (named.ContainingType is { } outer && JudgeType(outer) is { } outerReason)
                    {
                        return outerReason;
                    }

                    var ns = named.ContainingNamespace?.ToDisplayString() ?? "";
                    if (DeniedNamespace(ns) is { } area)
                    {
                        return $"{Pretty(named)} ({area})";
                    }

                    return named.TypeArguments.Select(JudgeType).FirstOrDefault(r => r is not null);
                default:
                    return null;
            }
        }

        private static string? DeniedNamespace(string ns)
        {
            if (s_allowedNamespaces.Any(a => ns == a || ns.StartsWith(a + ".", StringComparison.Ordinal)))
            {
                return null;
            }

            return s_deniedNamespaces.Where(d => ns == d.Namespace || ns.StartsWith(d.Namespace + ".", StringComparison.Ordinal)).Select(d => d.What).FirstOrDefault();
        }

        /// <summary>Namespace-qualified metadata name with the generic arity (System.Threading.Tasks.Task`1).</summary>
        private static string FullName(INamedTypeSymbol type)
        {
            var definition = type.OriginalDefinition;
            var prefix = definition.ContainingType is { } outer ? FullName(outer) + "+" : definition.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." : "";
            return prefix + definition.MetadataName;
        }

        private static string Pretty(INamedTypeSymbol type) => type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
    }
}
