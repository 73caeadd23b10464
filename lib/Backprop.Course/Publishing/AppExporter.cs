using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Course;

/// <summary>
/// Turns a lesson notebook into a C# file-based app (<c>dotnet run 02-backpropagation.cs</c>, .NET 10): the one source
/// stays the notebook. The app references the kit with <c>#:project</c>, pins its packages with <c>#:package</c>, and
/// runs the lesson's code cells in order on <c>Backprop.Lessons.LessonApp</c>, each cell a method of one class.
/// </summary>
/// <remarks>
/// <para>A notebook cell is a script submission; the exporter compiles the cells as such (Roslyn, with the kit's
/// references) and translates what one C# file does not allow:</para>
/// <list type="bullet">
/// <item>A top-level variable becomes a field of the lesson class (its type read from the compilation) and its
/// declaration an assignment in the cell's method, so later cells and methods see it as they do in the notebook.</item>
/// <item>A name declared again in a later cell gets a name of its own (<c>net_cell34</c>), and every use is renamed to
/// the declaration it binds to in the notebook, so the earlier methods keep theirs.</item>
/// <item>A cell's last expression, when it is a chart or <c>HTML(…)</c>, and <c>display(…)</c> become
/// <c>LessonApp.Display(…)</c>, which writes an offline page.</item>
/// <item>The setup cells become the app's header; cells' <c>using</c> directives move to the top of the file.</item>
/// </list>
/// <para>Refused, with a message naming the cell: <c>#r</c>, <c>#load</c>, <c>#i</c> and <c>#!</c> outside the setup
/// cells, extern aliases, any other use of the notebook engine's API, a displayed value that is not a chart or HTML
/// (print it instead), and a cell that does not compile.</para>
/// </remarks>
internal sealed class AppExporter
{
    /// <summary>The notebook engine's usings, which every cell has (as <see cref="CellPolicy"/> knows them too).</summary>
    private static readonly string[] s_engineUsings = ["System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks"];

    /// <summary>The lines a setup cell may hold (besides comments): the app's header does their work.</summary>
    private static readonly string[] s_setupLines = ["#load \"../lib/Backprop.Kit/KitBuild.cs\"", "KitBuild.EnsureBuilt(\"..\");", "#load \"../artifacts/kit/setup.csx\""];

    /// <summary>Names the generated code uses, which a cell may not declare.</summary>
    private static readonly HashSet<string> s_reserved = ["Lesson", "LessonApp", "LessonCell", "Cells", "args"];

    private static readonly CSharpParseOptions s_script = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);
    private static readonly CSharpParseOptions s_regular = new(LanguageVersion.Preview);

    private readonly string _root;
    private readonly AppManifest _manifest;
    private readonly ImmutableArray<MetadataReference> _appReferences;
    private readonly Lazy<CSharpCompilation> _prelude;

    /// <param name="repositoryRoot">The kit copy whose manifest (lib/kit.props), package versions and built kit (artifacts/kit) the apps use.</param>
    public AppExporter(string repositoryRoot)
    {
        _root = Path.GetFullPath(repositoryRoot);
        _manifest = AppManifest.Read(_root);
        var kitFolder = Kit.OutputDirectory(_root);
        if (!Directory.Exists(kitFolder))
        {
            throw new CourseException($"{kitFolder}: no built kit — build it first (dotnet build {KitBuild.KitProject} -c Release).");
        }

        // An app compiles against the kit's libraries and packages and the framework: nothing of the notebook engine.
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var kitDlls = Directory.GetFiles(kitFolder, "*.dll").Where(f => !_manifest.ExtensionPackages.Any(p => Path.GetFileName(f).StartsWith(p, StringComparison.OrdinalIgnoreCase)));
        var appFiles = kitDlls
            .Concat(platform.Where(p => Path.GetDirectoryName(p) == framework || Path.GetFileName(p) == "FSharp.Core.dll"))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).ToList();
        _appReferences = [.. appFiles.Select(f => MetadataReference.CreateFromFile(f))];
        // The cells themselves are compiled as the engine compiles them, display(…) and HTML(…) included.
        var engine = new[] { typeof(Microsoft.DotNet.Interactive.Kernel).Assembly.Location, typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly.Location };
        var aspNetHtml = platform.Where(p => Path.GetFileName(p) == "Microsoft.AspNetCore.Html.Abstractions.dll");
        ImmutableArray<MetadataReference> scriptReferences = [.. _appReferences, .. engine.Concat(aspNetHtml).Distinct().Select(f => MetadataReference.CreateFromFile(f))];
        _prelude = new(() => Translation.Prelude(scriptReferences, _manifest), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Writes the app of every notebook in <paramref name="notebooks"/> into <paramref name="output"/> as NN-name.cs;
    /// With <paramref name="studentVersion"/> (the release's <c>Release.ForStudents</c>: solutions stubbed, hidden checks
    /// removed) the apps are the students'; the caller passes it, so the exporter does not depend on the release.
    /// All apps are made before any is written, so a notebook that breaks a rule leaves the folder as it was.
    /// With <paramref name="kitCopy"/> (a student release, say) the apps reference that copy's kit projects and run in its notebooks/ folder.
    /// </summary>
    public IReadOnlyList<string> ExportAll(IReadOnlyList<string> notebooks, string output, Func<NotebookDocument, NotebookDocument>? studentVersion, TextWriter progress, string? kitCopy = null)
    {
        // Two at a time: each notebook is its own chain of compilations.
        var texts = new string[notebooks.Count];
        try
        {
            Parallel.For(0, notebooks.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Environment.ProcessorCount) }, i =>
            {
                var notebook = NotebookDocument.Load(notebooks[i]);
                if (studentVersion is not null)
                {
                    notebook = studentVersion(notebook);
                }

                var folder = kitCopy is null ? Path.GetDirectoryName(Path.GetFullPath(notebooks[i]))! : Path.Combine(kitCopy, "notebooks");
                texts[i] = Export(notebook, Path.Combine(output, Path.GetFileNameWithoutExtension(notebooks[i]) + ".cs"), folder, studentVersion is not null, kitCopy);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<CourseException>().FirstOrDefault() is { } first)
        {
            throw first;
        }

        var apps = notebooks.Select((path, i) => (Path: Path.Combine(output, Path.GetFileNameWithoutExtension(path) + ".cs"), Text: texts[i])).ToList();

        Directory.CreateDirectory(output);
        foreach (var (path, text) in apps)
        {
            File.WriteAllText(path, text, new UTF8Encoding(false));
            progress.WriteLine($"exported {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}");
        }

        return [.. apps.Select(a => a.Path)];
    }

    /// <summary>The text of the app for <paramref name="notebook"/>, to be written at <paramref name="appPath"/>; its cells run in <paramref name="notebookFolder"/>.</summary>
    public string Export(NotebookDocument notebook, string appPath, string notebookFolder, bool student = false, string? kitCopy = null)
    {
        var appFolder = Path.GetDirectoryName(Path.GetFullPath(appPath))!;
        var lesson = Path.GetFileNameWithoutExtension(notebook.Name);
        var cells = notebook.Cells.Select((c, i) => (Cell: c, Number: i + 1)).Where(x => x.Cell.IsCode && !string.IsNullOrWhiteSpace(x.Cell.Source)).ToList();
        var translation = new Translation(notebook.Name, _prelude.Value, _manifest);
        var emitted = new List<EmittedCell>();
        foreach (var (cell, number) in cells)
        {
            if (cell.KernelName is not ("csharp" or "C#"))
            {
                throw new CourseException($"{notebook.Name}, cell {number}: a cell for the '{cell.KernelName}' kernel; a lesson app runs C# only.");
            }

            var marker = MarkerText(cell.Source);
            emitted.Add(cell.Marker?.Kind == MarkerKind.Setup
                ? translation.Setup(cell.Source, number, marker)
                : translation.Cell(cell.Source, number, marker));
        }

        var text = Render(notebook, lesson, appFolder, notebookFolder, emitted, translation.Usings, student, Path.GetFullPath(kitCopy ?? _root));
        Verify(notebook.Name, text, emitted);
        return text;
    }

    /// <summary>The marker line without its slashes ("CHECK 02.1", "EXERCISE 02.1 (1 point)", "SETUP 1/2"), or null.</summary>
    private static string? MarkerText(string source)
    {
        var marker = Marker.Parse(source);
        return marker is null ? null : marker.Kind switch
        {
            MarkerKind.Setup => $"SETUP {marker.Id}",
            MarkerKind.Check => $"CHECK {marker.Id}",
            _ => $"EXERCISE {marker.Id}",
        };
    }

    private string Render(NotebookDocument notebook, string lesson, string appFolder, string notebookFolder, List<EmittedCell> cells, IReadOnlyList<string> cellUsings, bool student, string kitCopy)
    {
        string Relative(string path) => Path.GetRelativePath(appFolder, path).Replace('\\', '/');
        var text = new StringBuilder();
        foreach (var library in _manifest.Libraries)
        {
            text.Append(CultureInfo.InvariantCulture, $"#:project {Relative(Path.Combine(kitCopy, "lib", library, library + ".csproj"))}\n");
        }

        foreach (var (package, version) in _manifest.Packages)
        {
            text.Append(CultureInfo.InvariantCulture, $"#:package {package}@{version}\n");
        }

        // Release: the kit's libraries are built once, in the configuration the notebooks load (a Debug build would
        // overwrite artifacts/kit). The versions above come from Directory.Packages.props, so central management is off here.
        // The lesson code uses reflection-based libraries (Plotly.NET): no native AOT. Only the kernel's usings, as in the notebook.
        foreach (var property in (string[])["Configuration=Release", "ManagePackageVersionsCentrally=false", "PublishAot=false", "ImplicitUsings=disable", "EnforceCodeStyleInBuild=false", "TreatWarningsAsErrors=false"])
        {
            text.Append(CultureInfo.InvariantCulture, $"#:property {property}\n");
        }

        var source = Relative(Path.Combine(notebookFolder, notebook.Name));
        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"// Lesson {lesson} as a C# file-based app. From this folder:  dotnet run {lesson}.cs\n");
        text.Append(student
            ? $"// Generated from {source} (the student release) by the course tool. Working here instead of in the notebook? Replace each\n// line that throws NotImplementedException with your solution and run the app: the checks say passed, failed or not attempted yet.\n"
            : $"// Generated from {source} by the course tool (dotnet run --project lib/Backprop.Course -- export apps): do not edit —\n// edit the notebook and export again.\n");
        text.Append("// Standard output is what the notebook's cells print; each chart is written beside this file as an offline HTML page.\n");
        text.Append("// A cell that throws is named on standard error and the app exits with code 1, after running the other cells.\n\n");
        foreach (var ns in s_engineUsings)
        {
            text.Append(CultureInfo.InvariantCulture, $"using {ns};\n");
        }

        foreach (var line in _manifest.Usings.Concat(cellUsings).Distinct(StringComparer.Ordinal))
        {
            text.Append(line).Append('\n');
        }

        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"return LessonApp.Run(args, \"{lesson}\", \"{Relative(notebookFolder)}\", new Lesson().Cells);\n\n");
        text.Append(CultureInfo.InvariantCulture, $"/// <summary>The code cells of {notebook.Name}, in order: each a method; what cells share, fields.</summary>\n");
        text.Append("internal sealed class Lesson\n{\n");
        text.Append("    public LessonCell[] Cells =>\n    [\n");
        foreach (var cell in cells)
        {
            text.Append(CultureInfo.InvariantCulture, $"        new({cell.Number}, {(cell.Marker is null ? "null" : $"\"{cell.Marker}\"")}, {cell.MethodName}),\n");
        }

        text.Append("    ];\n");
        foreach (var cell in cells)
        {
            text.Append('\n');
            cell.StartLine = CountLines(text);
            text.Append(cell.Text);
            cell.EndLine = CountLines(text);
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static int CountLines(StringBuilder text)
    {
        var lines = 1;
        foreach (var chunk in text.GetChunks())
        {
            lines += chunk.Span.Count('\n');
        }

        return lines;
    }

    /// <summary>Compiles the app as `dotnet run` will (kit, packages, framework; no engine); a cell whose translation does not compile is named.</summary>
    private void Verify(string notebook, string text, List<EmittedCell> cells)
    {
        // The #: directives are the SDK's; the compiler here sees blank lines in their place.
        var code = string.Join('\n', text.Split('\n').Select(l => l.StartsWith("#:", StringComparison.Ordinal) ? "" : l));
        var compilation = CSharpCompilation.Create("lesson-app", [CSharpSyntaxTree.ParseText(code, s_regular)], _appReferences,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            var first = errors[0];
            var line = first.Location.GetLineSpan().StartLinePosition.Line + 1;
            var cell = cells.FirstOrDefault(c => line >= c.StartLine && line < c.EndLine);
            var where = cell is null ? $"line {line} of the app" : $"cell {cell.Number}";
            throw new CourseException($"{notebook}, {where}: the exported app does not compile ({first.Id}: {first.GetMessage(CultureInfo.InvariantCulture)}; {errors.Count} error(s) in all). "
                + "Translate the construct by hand in the notebook, or report it as an exporter gap.");
        }
    }

    /// <summary>One cell as it appears in the app: the members it declares and its method.</summary>
    private sealed class EmittedCell(int number, string? marker, string methodName, string text)
    {
        public int Number { get; } = number;

        public string? Marker { get; } = marker;

        public string MethodName { get; } = methodName;

        public string Text { get; } = text;

        public int StartLine { get; set; }

        public int EndLine { get; set; }
    }

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

        public EmittedCell Cell(string source, int number, string? marker)
        {
            var where = $"{_notebook}, cell {number}{(marker is null ? "" : $" ({marker})")}";
            foreach (var line in source.Split('\n').Select(l => l.Trim()))
            {
                if (line.StartsWith('#') && !(line.StartsWith("#nullable", StringComparison.Ordinal) || line.StartsWith("#pragma", StringComparison.Ordinal)
                        || line.StartsWith("#region", StringComparison.Ordinal) || line.StartsWith("#endregion", StringComparison.Ordinal)))
                {
                    var word = line.Split(' ', 2)[0];
                    throw new CourseException($"{where}: `{word}` loads code, a package or another kernel at run time, which a file-based app cannot do. Lesson cells may not use it: put what it loads into the kit (lib/kit.props).");
                }
            }

            var tree = CSharpSyntaxTree.ParseText(source, s_script);
            var compilation = CSharpCompilation.CreateScriptCompilation($"cell{number:00}x{_count++}", tree, _references, s_options, _previous);
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree == tree).ToList();
            if (errors.Count > 0)
            {
                var line = errors[0].Location.GetLineSpan().StartLinePosition.Line + 1;
                throw new CourseException($"{where}: the cell does not compile (line {line}: {errors[0].Id}: {errors[0].GetMessage(CultureInfo.InvariantCulture)}).");
            }

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

            // The members this cell declares, named for the app.
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

            var rewriter = new CellRewriter(this, model, where);
            var members = new StringBuilder();
            var fields = new StringBuilder();
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

            foreach (var field in declared.OfType<IFieldSymbol>())
            {
                var type = rewriter.TypeText(field);
                fields.Append(CultureInfo.InvariantCulture, $"    private {type} {_names[Key(field)]}{(field.Type.IsValueType ? "" : " = default!")};\n");
            }

            var method = $"Cell{number:00}";
            var awaits = root.Members.OfType<GlobalStatementSyntax>().SelectMany(g => g.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
                .Any(n => n is AwaitExpressionSyntax || n is ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } || n is UsingStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword });
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"    // ── cell {number}{(marker is null ? "" : $" · {marker}")} ──\n");
            text.Append(members);
            text.Append(fields);
            var body = Indent(Dedent(statements.ToString()).Trim('\n', '\r') + "\n", "        ");
            if (awaits)
            {
                text.Append(CultureInfo.InvariantCulture, $"    private void {method}() => {method}Async().GetAwaiter().GetResult();\n\n");
                text.Append(CultureInfo.InvariantCulture, $"    private async Task {method}Async()\n    {{\n{body}    }}\n");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"    private void {method}()\n    {{\n{(statements.ToString().Trim().Length == 0 ? "" : body)}    }}\n");
            }

            _previous = compilation;
            return new EmittedCell(number, marker, method, text.ToString());
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

    /// <summary>Puts <paramref name="indent"/> before every non-blank line.</summary>
    private static string Indent(string text, string indent) =>
        string.Join('\n', text.Split('\n').Select(l => l.Trim().Length == 0 ? "" : indent + l.TrimEnd()));

    /// <summary>Removes the indentation every non-blank line shares.</summary>
    private static string Dedent(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var common = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Trim().Length == 0 ? "" : l[common..].TrimEnd()));
    }
}
