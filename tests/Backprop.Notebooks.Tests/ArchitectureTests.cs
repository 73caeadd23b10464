using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The parts of lib/ and the one-way arrows between them that lib/ARCHITECTURE.md draws, checked on the source: a file
/// uses another when it names a type declared there; no circle of such uses inside a project; the core's fast kernels
/// name nothing outside their folder; projects reference only the layers below them; files and methods stay short
/// enough to read, or say why they are not.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string s_lib = Path.Combine(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), "lib");

    /// <summary>The longest file and method a reader takes in at once; longer ones carry a comment starting "Length:" saying why.</summary>
    private const int MaxFileLines = 400;
    private const int MaxMethodLines = 60;

    public static TheoryData<string> Projects() => ["Backprop", "Backprop.Lessons", "Backprop.Coursework", "Backprop.Course", "Backprop.Kit", "Backprop.Book"];

    /// <summary>
    /// The one circle a project may keep, and why: an <c>Mlp</c> makes its forward passes and hands them to its batched path
    /// and its argument checks, and a pass remembers the network that made it, so <c>Backward</c> can refuse a pass made by
    /// another network or with older weights. The wall that matters there — kernels never calling back up — is checked apart.
    /// </summary>
    private static readonly Dictionary<string, string[]> s_designedCircle = new(StringComparer.Ordinal)
    {
        ["Backprop"] = ["BatchForwardPass.cs", "Batched/BatchPath.cs", "ForwardPass.cs", "Mlp.cs", "NetworkChecks.cs"],
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public void No_two_files_of_a_project_use_each_other_through_a_circle(string project)
    {
        var graph = FileGraph.Of(Path.Combine(s_lib, project));
        var circles = graph.Circles().Where(c => !(s_designedCircle.TryGetValue(project, out var designed) && c.SequenceEqual(designed))).ToList();
        Assert.True(circles.Count == 0, $"{project}: files that use each other in a circle (a file uses another when it names a type declared there):\n"
            + string.Join('\n', circles.Select(c => "  " + string.Join(" ⇄ ", c))));
    }

    /// <summary>
    /// The course tool's folders use each other only along the arrows lib/ARCHITECTURE.md draws (its "course tool" block),
    /// and those arrows have no circle: a newcomer can read the parts bottom-up.
    /// </summary>
    [Fact]
    public void The_course_tool_s_folders_use_each_other_only_as_ARCHITECTURE_md_draws()
    {
        var drawn = DrawnArrows(File.ReadAllText(Path.Combine(s_lib, "ARCHITECTURE.md")));
        var graph = FileGraph.Of(Path.Combine(s_lib, "Backprop.Course"));
        var undrawn = graph.Uses.Select(u => (From: Folder(u.From), To: Folder(u.To), u.From, u.To, u.Name))
            .Where(u => u.From != u.To && u.To != "" && !drawn.Contains((u.From, u.To)))
            .Select(u => $"  {u.From} → {u.To}: {u.Item3} names {u.Name} ({u.Item4})").Distinct().ToList();
        Assert.True(undrawn.Count == 0, "uses the architecture does not draw (draw the arrow in lib/ARCHITECTURE.md, or move the code):\n" + string.Join('\n', undrawn));
        var folderGraph = drawn.ToLookup(a => a.From, a => a.To);
        Assert.All(drawn, a => Assert.False(Reaches(folderGraph, a.To, a.From, []), $"the drawn arrows make a circle through {a.From} → {a.To}"));
    }

    [Fact]
    public void A_course_tool_file_s_namespace_is_its_folder()
    {
        var folder = Path.Combine(s_lib, "Backprop.Course");
        var wrong = SourceFiles(folder).Select(f => (File: Path.GetRelativePath(folder, f).Replace('\\', '/'), Text: File.ReadAllText(f)))
            .Select(f => (f.File, Expected: "Backprop.Course" + string.Concat(Folder(f.File).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => "." + p)),
                Actual: System.Text.RegularExpressions.Regex.Match(f.Text, @"^namespace ([\w.]+);", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value))
            .Where(f => f.Expected != f.Actual).Select(f => $"  {f.File}: namespace {f.Actual}, its folder says {f.Expected}").ToList();
        Assert.True(wrong.Count == 0, "files whose namespace is not their folder:\n" + string.Join('\n', wrong));
    }

    /// <summary>The folder of a file path relative to its project ("" for the project's root).</summary>
    private static string Folder(string file) => file.Contains('/', StringComparison.Ordinal) ? file[..file.LastIndexOf('/')] : "";

    /// <summary>The arrows of ARCHITECTURE.md's course-tool block: lines "From → To, To, …" between the block's fences.</summary>
    private static HashSet<(string From, string To)> DrawnArrows(string markdown)
    {
        var block = markdown[(markdown.IndexOf("```course-tool", StringComparison.Ordinal) + 14)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];
        var arrows = new HashSet<(string, string)>();
        foreach (var line in block.Split('\n').Select(l => l.Split('#')[0]).Where(l => l.Contains('→', StringComparison.Ordinal)))
        {
            var from = line[..line.IndexOf('→', StringComparison.Ordinal)].Trim();
            foreach (var to in line[(line.IndexOf('→', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                arrows.Add((from, to));
            }
        }

        Assert.NotEmpty(arrows);
        return arrows;
    }

    private static bool Reaches(ILookup<string, string> graph, string from, string target, HashSet<string> seen) =>
        from == target || (seen.Add(from) && graph[from].Any(next => Reaches(graph, next, target, seen)));

    [Fact]
    public void The_core_fast_kernels_name_nothing_outside_their_folder()
    {
        var graph = FileGraph.Of(Path.Combine(s_lib, "Backprop"));
        var outward = graph.Uses.Where(u => u.From.StartsWith("Kernels/", StringComparison.Ordinal) && !u.To.StartsWith("Kernels/", StringComparison.Ordinal))
            .Select(u => $"  {u.From} → {u.To} ({u.Name})").ToList();
        Assert.True(outward.Count == 0, "the batched kernels call back up (validation belongs before a kernel is called):\n" + string.Join('\n', outward));
    }

    /// <summary>
    /// Core ← lessons, core ← coursework; the course tool references no kit project (it builds the kit and reads it as files,
    /// the way a notebook loads it); the live book's runtime references the kit's libraries (and the kit build, for its
    /// setup script) and Roslyn. A package is null where the layer's packages are not pinned down here.
    /// </summary>
    [Theory]
    [InlineData("Backprop", "", "MathNet.Numerics System.Numerics.Tensors")]
    [InlineData("Backprop.Lessons", "Backprop", "Microsoft.DotNet.Interactive.Formatting Plotly.NET Plotly.NET.CSharp")]
    [InlineData("Backprop.Coursework", "Backprop", "")]
    [InlineData("Backprop.Course", "", null)]
    [InlineData("Backprop.Book", "Backprop Backprop.Coursework Backprop.Kit Backprop.Lessons", "Microsoft.CodeAnalysis.CSharp")]
    public void A_layer_references_only_the_layers_below_it(string project, string projects, string? packages)
    {
        var file = XDocument.Load(Path.Combine(s_lib, project, project + ".csproj"));
        var referenced = file.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).Order(StringComparer.Ordinal);
        Assert.Equal(projects.Split(' ', StringSplitOptions.RemoveEmptyEntries), referenced);
        if (packages is not null)
        {
            var used = file.Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).Order(StringComparer.Ordinal);
            Assert.Equal(packages.Split(' ', StringSplitOptions.RemoveEmptyEntries), used);
        }
    }

    [Fact]
    public void No_file_of_lib_is_longer_than_a_reader_takes_in_without_saying_why()
    {
        var tooLong = SourceFiles(s_lib)
            .Select(f => (File: f, Text: File.ReadAllText(f)))
            .Where(f => f.Text.Split('\n').Length > MaxFileLines && !f.Text.Contains("// Length:", StringComparison.Ordinal))
            .Select(f => $"  {Path.GetRelativePath(s_lib, f.File)}: {f.Text.Split('\n').Length} lines").ToList();
        Assert.True(tooLong.Count == 0, $"files over {MaxFileLines} lines without a '// Length:' comment saying why:\n" + string.Join('\n', tooLong));
    }

    [Fact]
    public void No_method_of_lib_is_longer_than_a_reader_takes_in_without_saying_why()
    {
        var tooLong = new List<string>();
        foreach (var file in SourceFiles(s_lib))
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file);
            foreach (var member in tree.GetRoot().DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax))
            {
                var span = tree.GetLineSpan(member.Span);
                var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
                if (lines > MaxMethodLines && !member.GetLeadingTrivia().ToFullString().Contains("Length:", StringComparison.Ordinal))
                {
                    tooLong.Add($"  {Path.GetRelativePath(s_lib, file)}:{span.StartLinePosition.Line + 1} {Name(member)}: {lines} lines");
                }
            }
        }

        Assert.True(tooLong.Count == 0, $"methods over {MaxMethodLines} lines without a comment starting 'Length:' saying why:\n" + string.Join('\n', tooLong));
    }

    [Fact]
    public void The_graph_sees_a_circle_when_there_is_one()
    {
        var folder = Directory.CreateTempSubdirectory("architecture-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "A.cs"), "namespace N; sealed class A { B? b; }");
            File.WriteAllText(Path.Combine(folder, "B.cs"), "namespace N; sealed class B { void F() => C.G(); }");
            File.WriteAllText(Path.Combine(folder, "C.cs"), "namespace N; static class C { public static void G() { A? a = null; _ = a; } }");
            File.WriteAllText(Path.Combine(folder, "D.cs"), "namespace N.C; sealed partial class D { N.A? a; }");
            File.WriteAllText(Path.Combine(folder, "D.More.cs"), "using N.B; namespace N.C; sealed partial class D { string s = nameof(D); }");
            var graph = FileGraph.Of(folder);
            var circle = Assert.Single(graph.Circles());
            Assert.Equal(["A.cs", "B.cs", "C.cs"], circle);
            Assert.Contains(graph.Uses, u => u.From == "D.cs" && u.To == "A.cs");
            Assert.DoesNotContain(graph.Uses, u => u.From.StartsWith('D') && u.To is "B.cs" or "C.cs" or "D.cs" or "D.More.cs");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Name(SyntaxNode member) => member switch
    {
        MethodDeclarationSyntax m => m.Identifier.ValueText,
        ConstructorDeclarationSyntax c => c.Identifier.ValueText + " (constructor)",
        LocalFunctionStatementSyntax l => l.Identifier.ValueText + " (local function)",
        AccessorDeclarationSyntax a => a.Keyword.ValueText + " accessor",
        _ => member.Kind().ToString(),
    };

    private static IEnumerable<string> SourceFiles(string folder) => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin" or "node_modules"))
        .Order(StringComparer.Ordinal);

    /// <summary>Which file names a type declared in which (syntax only; partial types make their files one node).</summary>
    private sealed class FileGraph
    {
        public required IReadOnlyList<(string From, string To, string Name)> Uses { get; init; }

        public required IReadOnlyDictionary<string, string> Node { get; init; }

        public static FileGraph Of(string folder)
        {
            var trees = SourceFiles(folder).ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot(), StringComparer.Ordinal);
            // Types declared at namespace level: a nested type is named through its outer type.
            var declared = trees.SelectMany(t => t.Value.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Cast<MemberDeclarationSyntax>()
                    .Concat(t.Value.DescendantNodes().OfType<DelegateDeclarationSyntax>())
                    .Where(d => d.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax)
                    .Select(d => (Name: d is BaseTypeDeclarationSyntax b ? b.Identifier.ValueText : ((DelegateDeclarationSyntax)d).Identifier.ValueText, File: t.Key)))
                .ToLookup(d => d.Name, d => d.File, StringComparer.Ordinal);
            // A partial type declared in several files makes them one node, named by its first file.
            var node = trees.Keys.ToDictionary(f => f, f => f, StringComparer.Ordinal);
            foreach (var files in declared.Select(d => d.Distinct().Order(StringComparer.Ordinal).ToList()).Where(f => f.Count > 1))
            {
                foreach (var file in files)
                {
                    node[file] = node[files[0]];
                }
            }

            var uses = new List<(string, string, string)>();
            foreach (var (file, root) in trees)
            {
                var named = root.DescendantNodes().OfType<SimpleNameSyntax>()
                    .Where(n => !(n.Parent is MemberAccessExpressionSyntax access && access.Name == n)
                        && !n.Ancestors().Any(a => a is UsingDirectiveSyntax || (a.Parent is BaseNamespaceDeclarationSyntax ns && ns.Name == a)))
                    .Select(n => n.Identifier.ValueText).ToHashSet(StringComparer.Ordinal);
                foreach (var name in named.Order(StringComparer.Ordinal))
                {
                    foreach (var target in declared[name].Distinct().Where(t => node[t] != node[file]))
                    {
                        uses.Add((file, target, name));
                    }
                }
            }

            return new FileGraph { Uses = uses, Node = node };
        }

        /// <summary>Every strongly connected set of two or more nodes (Tarjan), each as its sorted file names.</summary>
        public IReadOnlyList<IReadOnlyList<string>> Circles()
        {
            var edges = Uses.Select(u => (From: Node[u.From], To: Node[u.To])).Distinct().ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var low = new Dictionary<string, int>(StringComparer.Ordinal);
            var stack = new Stack<string>();
            var onStack = new HashSet<string>(StringComparer.Ordinal);
            var circles = new List<IReadOnlyList<string>>();

            void Visit(string v)
            {
                index[v] = low[v] = index.Count;
                stack.Push(v);
                onStack.Add(v);
                foreach (var w in edges[v])
                {
                    if (!index.ContainsKey(w))
                    {
                        Visit(w);
                        low[v] = Math.Min(low[v], low[w]);
                    }
                    else if (onStack.Contains(w))
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }
                }

                if (low[v] == index[v])
                {
                    var component = new List<string>();
                    string w;
                    do
                    {
                        w = stack.Pop();
                        onStack.Remove(w);
                        component.Add(w);
                    }
                    while (w != v);
                    if (component.Count > 1)
                    {
                        circles.Add([.. component.Order(StringComparer.Ordinal)]);
                    }
                }
            }

            foreach (var v in Node.Values.Distinct().Order(StringComparer.Ordinal).Where(v => !index.ContainsKey(v)))
            {
                Visit(v);
            }

            return circles;
        }
    }
}
