using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Publishing;

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
internal sealed partial class AppExporter
{
    /// <summary>The notebook engine's usings, which every cell has (as <see cref="Policy.CellPolicy"/> knows them too).</summary>
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
        var texts = TwoAtATime(notebooks.Count, i =>
        {
            var notebook = NotebookDocument.Load(notebooks[i]);
            if (studentVersion is not null)
            {
                notebook = studentVersion(notebook);
            }

            var folder = kitCopy is null ? Path.GetDirectoryName(Path.GetFullPath(notebooks[i]))! : Path.Combine(kitCopy, "notebooks");
            return Export(notebook, Path.Combine(output, FileName(notebook)), folder, studentVersion is not null, kitCopy);
        });
        var apps = notebooks.Select((path, i) => (Path: Path.Combine(output, Path.GetFileNameWithoutExtension(path) + ".cs"), Text: texts[i])).ToList();

        Directory.CreateDirectory(output);
        foreach (var (path, text) in apps)
        {
            Write(path, text);
            progress.WriteLine($"exported {Path.GetRelativePath(Directory.GetCurrentDirectory(), path)}");
        }

        return [.. apps.Select(a => a.Path)];
    }

    /// <summary>
    /// The text of the app of each notebook of <paramref name="released"/> — student versions already, as a release writes
    /// them — for <paramref name="releaseFolder"/>/apps/<see cref="FileName"/>, referencing the release's kit copy and
    /// notebooks/. Only paths relative to apps/ go into an app, so the texts are the same for any release folder.
    /// </summary>
    public IReadOnlyList<string> StudentApps(IReadOnlyList<NotebookDocument> released, string releaseFolder) =>
        TwoAtATime(released.Count, i => Export(released[i], Path.Combine(releaseFolder, "apps", FileName(released[i])), Path.Combine(releaseFolder, "notebooks"), student: true, releaseFolder));

    /// <summary>The app's file name for a lesson notebook: 02-backpropagation.ipynb → 02-backpropagation.cs.</summary>
    public static string FileName(NotebookDocument notebook) => Path.GetFileNameWithoutExtension(notebook.Name) + ".cs";

    /// <summary>Writes an app's text (UTF-8, no byte order mark).</summary>
    public static void Write(string path, string text) => File.WriteAllText(path, text, new UTF8Encoding(false));

    /// <summary>
    /// <paramref name="export"/> for 0 … <paramref name="count"/> − 1, two at a time (each notebook is its own chain of
    /// compilations); the first <see cref="CourseException"/> is thrown as itself.
    /// </summary>
    private static string[] TwoAtATime(int count, Func<int, string> export)
    {
        var texts = new string[count];
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Environment.ProcessorCount) }, i => texts[i] = export(i));
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<CourseException>().FirstOrDefault() is { } first)
        {
            throw first;
        }

        return texts;
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
        var text = new StringBuilder(Directives(kitCopy, Relative));
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

    /// <summary>The app's <c>#:</c> lines: the kit's projects (in <paramref name="kitCopy"/>), the pinned packages, the build properties.</summary>
    private string Directives(string kitCopy, Func<string, string> relative)
    {
        var text = new StringBuilder();
        foreach (var library in _manifest.Libraries)
        {
            text.Append(CultureInfo.InvariantCulture, $"#:project {relative(Path.Combine(kitCopy, "lib", library, library + ".csproj"))}\n");
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
