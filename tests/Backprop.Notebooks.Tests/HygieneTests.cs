using System.Text.RegularExpressions;
using System.Xml.Linq;
using Backprop.Course;

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

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_starts_with_the_identical_setup_cells(string name)
    {
        var reference = SetupCells(Load("01-forward-propagation.ipynb"));
        Assert.Equal(reference, SetupCells(Load(name)));
    }

    [Fact]
    public void Setup_cells_load_the_pinned_packages_the_kit_and_the_FSharp_Core_fix()
    {
        var (build, load) = SetupCells(Load("01-forward-propagation.ipynb"));
        Assert.Contains("dotnet build lib/Backprop.Coursework -c Release", build, StringComparison.Ordinal);
        var pinned = XDocument.Load(Path.Combine(s_root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value);
        var references = NugetReference().Matches(load).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["version"].Value);
        Assert.Equal(["MathNet.Numerics", "Plotly.NET", "Plotly.NET.CSharp", "Plotly.NET.Interactive", "System.Numerics.Tensors"], references.Keys.Order(StringComparer.Ordinal));
        Assert.All(references, r => Assert.Equal(pinned[r.Key], r.Value));
        foreach (var project in Course.Kit.Projects)
        {
            Assert.Contains($"#r \"../artifacts/kit/{project}.dll\"", load, StringComparison.Ordinal);
        }

        Assert.Contains("global::Backprop.Lessons.NotebookSupport.Install();", load, StringComparison.Ordinal);
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
        cell.Source = "// EXERCISE 01.1 (2 points)\n// BEGIN SOLUTION\nvar answer = 42;\n// END SOLUTION";

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

    [GeneratedRegex("""#r "nuget: (?<name>[^,]+), (?<version>[^"]+)""")]
    private static partial Regex NugetReference();
}
