using System.Text.RegularExpressions;
using System.Xml.Linq;
using Backprop.Course;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>Committed notebooks: outputs cleared, VS Code Polyglot metadata, the identical setup cells; release rules.</summary>
public sealed partial class HygieneTests
{
    private static readonly string s_root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);

    public static TheoryData<string> Notebooks() =>
        [.. Directory.GetFiles(Path.Combine(s_root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).Select(p => Path.GetFileName(p))];

    private static NotebookDocument Load(string name) => NotebookDocument.Load(Path.Combine(s_root, "notebooks", name));

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_is_committed_without_outputs(string name) =>
        Assert.All(Load(name).Cells.Where(c => c.IsCode), c => Assert.False(c.HasOutputs, $"{name}: a code cell has outputs or an execution count:\n{c.Source}"));

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_has_the_metadata_VS_Code_Polyglot_Notebooks_writes(string name)
    {
        var notebook = Load(name);
        var metadata = notebook.Metadata;
        Assert.Equal(".net-csharp", metadata["kernelspec"]?["name"]?.GetValue<string>());
        Assert.Equal("C#", metadata["kernelspec"]?["language"]?.GetValue<string>());
        Assert.Equal("polyglot-notebook", metadata["language_info"]?["name"]?.GetValue<string>());
        Assert.Equal("csharp", metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.GetValue<string>());
        Assert.All(notebook.Cells.Where(c => c.IsCode), c => Assert.Equal("csharp", c.Json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()));
        Assert.Matches(@"^\d\d$", notebook.LessonId);
        Assert.StartsWith(notebook.LessonId + "-", name, StringComparison.Ordinal);
    }

    /// <summary>
    /// A check cell names the framework's types with global:: (global::System.Math.Abs), the kit's through its aliases: a student
    /// cell that declares its own <c>class Math</c> or <c>Enumerable</c> must not change what a check computes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Check_cells_name_no_framework_type_a_student_could_shadow(string name)
    {
        var imported = new[] { "System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks" };
        var framework = typeof(object).Assembly.GetTypes().Concat(typeof(Enumerable).Assembly.GetTypes()).Concat(typeof(List<>).Assembly.GetTypes())
            .Where(t => t.IsPublic && imported.Contains(t.Namespace)).Select(t => t.Name.Split('`')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var cell in Load(name).Cells.Where(c => c.Marker?.Kind == MarkerKind.Check))
        {
            var root = CSharpSyntaxTree.ParseText(cell.Source, new CSharpParseOptions(kind: Microsoft.CodeAnalysis.SourceCodeKind.Script)).GetRoot();
            // A name that starts a lookup: not the member after a dot, not the right of a qualified name, not after an alias's '::'.
            var bare = root.DescendantNodes().OfType<SimpleNameSyntax>()
                .Where(n => !(n.Parent is MemberAccessExpressionSyntax access && access.Name == n)
                    && !(n.Parent is QualifiedNameSyntax qualified && qualified.Right == n)
                    && n.Parent is not AliasQualifiedNameSyntax)
                .Select(n => n.Identifier.ValueText).Where(framework.Contains).Distinct().ToList();
            Assert.True(bare.Count == 0, $"{name} {cell.Marker!.Id}: the check cell names {string.Join(", ", bare)} without global::System…");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_starts_with_the_identical_setup_cells(string name)
    {
        var reference = SetupCells(Load("01-forward-propagation.ipynb"));
        Assert.Equal(reference, SetupCells(Load(name)));
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Setup_cells_are_short_and_load_the_shared_scripts(string name)
    {
        var (build, load) = SetupCells(Load(name));
        Assert.All(new[] { build, load }, cell => Assert.True(cell.Split('\n').Length <= 4, $"{name}: a setup cell has more than 4 lines:\n{cell}"));
        Assert.Contains("#load \"../lib/Backprop.Kit/KitBuild.cs\"", build, StringComparison.Ordinal);
        Assert.Contains("KitBuild.EnsureBuilt(\"..\");", build, StringComparison.Ordinal);
        Assert.Contains("#load \"../artifacts/kit/setup.csx\"", load, StringComparison.Ordinal);
        Assert.DoesNotContain((build + "\n" + load).Split('\n'), line => line.TrimStart().StartsWith("#r", StringComparison.Ordinal));
    }

    [Fact]
    public void The_setup_script_is_generated_from_the_manifest_with_the_FSharp_Core_fix_and_the_check_aliases()
    {
        Course.Kit.EnsureBuilt(s_root, TextWriter.Null);
        var output = Course.Kit.OutputDirectory(s_root);
        var script = File.ReadAllText(Path.Combine(output, KitBuild.SetupScript));
        var manifest = XDocument.Load(Path.Combine(s_root, KitBuild.Manifest));
        foreach (var library in Course.Kit.Projects(s_root))
        {
            Assert.Contains($"#r \"{library}.dll\"", script, StringComparison.Ordinal);
        }

        Assert.Contains(".NotebookSupport.Install();", script, StringComparison.Ordinal);
        Assert.Contains("global using Kit = global::Backprop.Coursework;", script, StringComparison.Ordinal);
        Assert.Contains("global using LA = global::MathNet.Numerics.LinearAlgebra;", script, StringComparison.Ordinal);
        // Charts use the kit's offline formatter (NotebookSupport), not Plotly.NET.Interactive's CDN one.
        Assert.DoesNotContain("Plotly.NET.Interactive", script, StringComparison.Ordinal);
        // Every #r names a DLL the kit build put next to the script; the engine's own FSharp.Core is never shadowed.
        foreach (Match reference in DllReference().Matches(script))
        {
            Assert.True(File.Exists(Path.Combine(output, reference.Groups["dll"].Value)), reference.Value);
        }

        Assert.DoesNotContain("FSharp.Core", DllReference().Matches(script).Select(m => m.Value));
        Assert.Equal(Course.Kit.Projects(s_root), manifest.Descendants("KitLibrary").Select(e => e.Attribute("Include")!.Value));
    }

    [Fact]
    public void Check_cells_call_the_kit_through_aliases_a_student_cannot_shadow()
    {
        foreach (var name in Directory.GetFiles(Path.Combine(s_root, "notebooks"), "*.ipynb").Select(Path.GetFileName).OfType<string>())
        {
            foreach (var cell in Load(name).Cells.Where(c => c.Marker?.Kind == MarkerKind.Check))
            {
                Assert.DoesNotContain("global::Backprop", cell.Source, StringComparison.Ordinal);
                // Every call of the check API is alias-qualified (Kit::Check…), never a bare Check… a student's type could capture.
                Assert.DoesNotMatch(@"(?<!Kit::)\bCheck\.(Exercise|OwnWork|Close|Equal|That)\b", cell.Source);
                Assert.Contains("Kit::Check.Exercise(", cell.Source, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_exercise_has_a_check_and_the_release_accepts_the_notebook(string name)
    {
        var notebook = Load(name);
        var markers = notebook.Cells.Select(c => c.Marker).OfType<Marker>().ToList();
        var exercises = markers.Where(m => m.Kind == MarkerKind.Exercise).Select(m => m.Id).ToList();
        Assert.True(exercises.Count >= 2, $"{name} has {exercises.Count} exercise(s)");
        Assert.Equal(exercises, markers.Where(m => m.Kind == MarkerKind.Check).Select(m => m.Id));
        Assert.All(exercises, id => Assert.StartsWith(notebook.LessonId + ".", id, StringComparison.Ordinal));
        var released = Release.ForStudents(notebook);
        Assert.All(released.Cells.Where(c => c.IsCode), c => Assert.DoesNotContain("SOLUTION", c.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void Release_refuses_a_solution_region_outside_a_method_body()
    {
        var lesson = Load("01-forward-propagation.ipynb");
        var cell = lesson.Cells.First(c => c.Marker?.Kind == MarkerKind.Exercise).Copy();
        cell.Source = "// EXERCISE 01.2 (2 points)\n// BEGIN SOLUTION\nvar answer = 42;\n// END SOLUTION";

        var error = Assert.Throws<CourseException>(() => Release.ForStudents(lesson.WithCells([cell], "bad.ipynb")));

        Assert.Contains("not inside a method body", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_refuses_a_non_empty_folder_and_the_notebooks_folder()
    {
        var folder = Directory.CreateTempSubdirectory("backprop-release-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "someone's work.txt"), "keep me");
            var error = Assert.Throws<CourseException>(() => Release.Write(s_root, folder, force: false, TextWriter.Null));
            Assert.Contains("not empty", error.Message, StringComparison.Ordinal);
            Assert.Throws<CourseException>(() => Release.Write(s_root, Path.Combine(s_root, "notebooks", "release"), force: true, TextWriter.Null));
            Assert.Equal("keep me", File.ReadAllText(Path.Combine(folder, "someone's work.txt")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_malformed_notebook_is_named_with_its_problem()
    {
        var error = Assert.Throws<CourseException>(() => NotebookDocument.Parse("{\"nbformat\": 4}", "x.ipynb"));
        Assert.Equal("x.ipynb: not a notebook — it has no \"cells\" array.", error.Message);
    }

    private static (string Build, string Load) SetupCells(NotebookDocument notebook)
    {
        var code = notebook.Cells.Where(c => c.IsCode).Take(2).ToList();
        Assert.Equal(new Marker(MarkerKind.Setup, "1/2", 0), code[0].Marker);
        Assert.Equal(new Marker(MarkerKind.Setup, "2/2", 0), code[1].Marker);
        return (code[0].Source, code[1].Source);
    }

    [GeneratedRegex(@"#r ""(?<dll>[^""]+\.dll)""")]
    private static partial Regex DllReference();
}
