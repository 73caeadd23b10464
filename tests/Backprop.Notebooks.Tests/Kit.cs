using System.Collections.Concurrent;
using Backprop.Course;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// Shared by every engine test: the kit is built once and the engine restored once, before any
/// notebook runs; the student release is written (and its kit built) once, on first use.
/// </summary>
public sealed class EngineFixture
{
    private static readonly Lazy<EngineFixture> s_shared = new(() => new EngineFixture());
    private readonly Lazy<string> _release;
    private readonly ConcurrentDictionary<string, Lazy<Task<NotebookRun>>> _instructorRuns = new(StringComparer.Ordinal);

    /// <summary>One instance for the whole test run (the two engine collections run side by side).</summary>
    public static EngineFixture Shared => s_shared.Value;

    private EngineFixture()
    {
        Root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);
        Course.Kit.EnsureBuilt(Root, TextWriter.Null);
        ToolDll = Engine.ToolDll(Root, TextWriter.Null);
        Scratch = Directory.CreateTempSubdirectory("backprop-notebooks-tests-").FullName;
        _release = new(() =>
        {
            var folder = Path.Combine(Scratch, "release");
            Release.Write(Root, folder, force: false, TextWriter.Null);
            Course.Kit.EnsureBuilt(folder, TextWriter.Null);
            return folder;
        });
    }

    public string Root { get; }

    public string ToolDll { get; }

    /// <summary>A temporary folder (under the system temp folder) for submissions and releases.</summary>
    public string Scratch { get; }

    /// <summary>The student release of the course, with its kit built.</summary>
    public string ReleaseRoot => _release.Value;

    public string NotebooksFolder => Path.Combine(Root, "notebooks");

    public IEnumerable<string> InstructorNotebooks => Directory.GetFiles(NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal);

    /// <summary>
    /// The instructor notebook <paramref name="name"/> run once in the real engine, shared by every test that needs it
    /// (the notebook's own test and the comparison with its app), whichever asks first.
    /// </summary>
    internal Task<NotebookRun> InstructorRunAsync(string name) =>
        _instructorRuns.GetOrAdd(name, n => new Lazy<Task<NotebookRun>>(() => Runner().RunAsync(NotebookDocument.Load(Path.Combine(NotebooksFolder, n)), NotebooksFolder))).Value;

    internal NotebookRunner Runner(int cellTimeoutSeconds = 120, int notebookTimeoutSeconds = 600) =>
        new(ToolDll, TextWriter.Null)
        {
            CellTimeout = TimeSpan.FromSeconds(cellTimeoutSeconds),
            NotebookTimeout = TimeSpan.FromSeconds(notebookTimeoutSeconds),
        };
}
