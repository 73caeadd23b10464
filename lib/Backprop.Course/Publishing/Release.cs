using Backprop.Course.Grading;
using Backprop.Course.Transforms;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Publishing;

/// <summary>
/// Makes the student version of the course: each notebook with its solution regions replaced by
/// a stub that throws "not attempted yet", hidden checks removed and outputs cleared, next to a
/// copy of the kit's libraries so the release builds and runs on its own.
/// </summary>
internal static class Release
{
    /// <summary>Files at the repository root and under lib/ copied next to the notebooks (folders without bin/ and obj/); the kit libraries are added from the manifest.</summary>
    private static readonly string[] s_repositoryFiles =
    [
        "dotnet-tools.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", ".gitignore",
        "lib/Directory.Build.props", KitBuild.Manifest, KitBuild.KitProject, KitBuild.SharedSources, ".vscode", ".devcontainer",
        // The course tool, so a student can run `validate` the way the grader runs (no secret in it: hidden checks live in the notebooks).
        "lib/Backprop.Course",
    ];

    /// <summary>Where a release keeps an untouched copy of each released notebook: the public checks <c>validate</c> runs (the student's notebooks/ may have edited check cells).</summary>
    public const string ChecksFolder = Validation.ChecksFolder;

    /// <summary>Pseudo file systems a release can never go to.</summary>
    private static readonly string[] s_systemFolders = ["/proc", "/sys", "/dev"];

    /// <summary>
    /// Writes the release of every notebook under <paramref name="repositoryRoot"/>/notebooks into <paramref name="output"/>.
    /// Links are resolved before deciding; an output inside the repository, containing it, under a system
    /// folder, that is a file, or (without <paramref name="force"/>) a non-empty folder is refused with a
    /// <see cref="CourseException"/> before anything is written. The release is written to a temporary
    /// folder next to the output and moved into place.
    /// </summary>
    public static IReadOnlyList<string> Write(string repositoryRoot, string output, bool force, TextWriter progress) => Write(repositoryRoot, output, force, progress, null);

    /// <summary>As <see cref="Write(string, string, bool, TextWriter)"/>, each student notebook (and its app) passed through <paramref name="personal"/> last (a student's variant cell: <see cref="RosterRelease.Personal"/>).</summary>
    public static IReadOnlyList<string> Write(string repositoryRoot, string output, bool force, TextWriter progress, Func<NotebookDocument, NotebookDocument>? personal)
    {
        var root = Files.RealPath(repositoryRoot);
        var (target, shown) = Output(output);
        RefuseUnsafeOutput(root, target, shown, force);

        // Transform everything first, so a notebook that breaks the rules leaves no half-written release.
        var released = StudentNotebooks(root);
        if (personal is not null)
        {
            released = [.. released.Select(personal)];
        }

        var kept = WriteStaged(target, shown, DateTime.UtcNow, staging =>
        {
            StageFiles(root, staging, released, progress);
            // Every lesson also as a C# file-based app (apps/NN-name.cs, stubs included), for working without the notebook engine.
            Kit.EnsureBuilt(root, progress);
            WriteApps(staging, released, new AppExporter(root).StudentApps(released, staging));
        });
        SayKept(kept, target, "", progress);
        progress.WriteLine($"Student release written to {target} ({released.Count} notebook(s), each also as an app in apps/, and the kit libraries).");
        return [.. released.Select(r => Path.Combine(target, "notebooks", r.Name))];
    }

    /// <summary>Where <paramref name="output"/> really is (links resolved), and how an error names it.</summary>
    internal static (string Target, string Shown) Output(string output)
    {
        var target = Files.RealPath(output);
        return (target, target == Path.GetFullPath(output) ? output : $"{output} (= {target})");
    }

    /// <summary>The student version (<see cref="ForStudents"/>) of every notebook under <paramref name="root"/>/notebooks, in file-name order.</summary>
    internal static List<NotebookDocument> StudentNotebooks(string root)
    {
        var notebooksDir = Path.Combine(root, "notebooks");
        var notebooks = Directory.GetFiles(notebooksDir, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        if (notebooks.Count == 0)
        {
            throw new CourseException($"{notebooksDir}: no notebooks to release.");
        }

        return [.. notebooks.Select(path => ForStudents(NotebookDocument.Load(path)))];
    }

    /// <summary>Writes into <paramref name="staging"/> all of a release but its apps: the repository files and kit libraries, the README, and <paramref name="released"/> (<see cref="StageNotebooks"/>).</summary>
    internal static void StageFiles(string root, string staging, IReadOnlyList<NotebookDocument> released, TextWriter progress)
    {
        StageNotebooks(staging, released, progress);
        foreach (var item in s_repositoryFiles.Concat(Kit.Projects(root).Select(p => $"lib/{p}")))
        {
            Files.Copy(Path.Combine(root, item), Path.Combine(staging, item));
        }

        File.WriteAllText(Path.Combine(staging, "README.md"), Template.Text("student-README.md"));
    }

    /// <summary>Writes each released notebook into <paramref name="staging"/>/notebooks and its untouched copy into <see cref="ChecksFolder"/>.</summary>
    internal static void StageNotebooks(string staging, IReadOnlyList<NotebookDocument> released, TextWriter progress)
    {
        foreach (var notebook in released)
        {
            notebook.Save(Path.Combine(staging, "notebooks", notebook.Name));
            notebook.Save(Path.Combine(staging, ChecksFolder, notebook.Name));
            progress.WriteLine($"released notebooks/{notebook.Name}");
        }
    }

    /// <summary>Writes the apps (<see cref="AppExporter.StudentApps"/>: <paramref name="texts"/>) of <paramref name="notebooks"/> into <paramref name="staging"/>/apps.</summary>
    internal static void WriteApps(string staging, IReadOnlyList<NotebookDocument> notebooks, IReadOnlyList<string> texts)
    {
        Directory.CreateDirectory(Path.Combine(staging, "apps"));
        for (var i = 0; i < notebooks.Count; i++)
        {
            AppExporter.Write(Path.Combine(staging, "apps", AppExporter.FileName(notebooks[i])), texts[i]);
        }
    }

    /// <summary>
    /// Writes a release to <paramref name="target"/>: <paramref name="stage"/> fills a temporary folder beside it, which
    /// is then moved into place (<see cref="MoveIntoPlace"/>, backups stamped <paramref name="now"/>) and never outlives the
    /// call; an I/O failure is a <see cref="CourseException"/> naming <paramref name="shown"/>. Returns each (file, backup) kept.
    /// </summary>
    internal static List<(string File, string Backup)> WriteStaged(string target, string shown, DateTime now, Action<string> stage)
    {
        var staging = StagingFolder(target);
        try
        {
            stage(staging);
            return MoveIntoPlace(staging, target, now);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CourseException($"--output {shown}: cannot write the release there ({e.Message}).");
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// One line per file <see cref="WriteStaged"/> kept as a backup in <paramref name="target"/>, its paths relative to it and
    /// preceded by <paramref name="prefix"/> (a roster release's "ID/").
    /// </summary>
    internal static void SayKept(IEnumerable<(string File, string Backup)> kept, string target, string prefix, TextWriter progress)
    {
        foreach (var (file, backup) in kept)
        {
            progress.WriteLine($"kept {prefix}{Path.GetRelativePath(target, backup)}: {prefix}{Path.GetRelativePath(target, file)} differed from the release (a student's work, or an earlier release), so it was not lost");
        }
    }

    /// <summary>A fresh temporary folder's path beside <paramref name="target"/> (.NAME.release-GUID), not yet created.</summary>
    internal static string StagingFolder(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.release-{Guid.NewGuid():N}");

    /// <summary>Refuses (a <see cref="CourseException"/> naming <paramref name="shown"/>) an output inside the repository, containing it, under a system folder, that is a file, or (without <paramref name="force"/>) a non-empty folder.</summary>
    internal static void RefuseUnsafeOutput(string root, string target, string shown, bool force)
    {
        if (IsSameOrInside(target, root))
        {
            throw new CourseException($"--output {shown}: that is inside the kit's repository {root}; the release must go to a folder outside it.");
        }

        if (IsSameOrInside(root, target))
        {
            throw new CourseException($"--output {shown}: that folder contains the kit's repository {root}; the release must go to a folder of its own.");
        }

        if (s_systemFolders.Any(f => IsSameOrInside(target, f)))
        {
            throw new CourseException($"--output {shown}: that is a system folder, not a place for a release.");
        }

        if (File.Exists(target))
        {
            throw new CourseException($"--output {shown}: that is a file, not a folder.");
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !force)
        {
            throw new CourseException($"--output {shown}: the folder is not empty. Choose an empty folder, or add --force to overwrite the release files in it.");
        }
    }

    /// <summary>The folders of a release where students work (their notebooks and the lesson apps): a file there is never overwritten unseen.</summary>
    private static readonly string[] s_studentFolders = ["notebooks", "apps"];

    /// <summary>
    /// Moves the staged release to <paramref name="target"/>: the whole folder when there is none yet, else file by file
    /// (other files stay). A file of notebooks/ or apps/ that differs from what the release writes — a student's edited
    /// notebook, or an earlier release's — is first renamed NAME.bak-&lt;UTC time&gt; beside it; returns each (file, backup).
    /// </summary>
    private static List<(string File, string Backup)> MoveIntoPlace(string staging, string target, DateTime now)
    {
        var kept = new List<(string, string)>();
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return kept;
        }

        var stamp = now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var file in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(staging, file);
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (s_studentFolders.Contains(relative.Split(Path.DirectorySeparatorChar)[0], StringComparer.Ordinal) && File.Exists(destination)
                && !File.ReadAllBytes(destination).AsSpan().SequenceEqual(File.ReadAllBytes(file)))
            {
                var backup = $"{destination}.bak-{stamp}";
                for (var n = 2; File.Exists(backup); n++)
                {
                    backup = $"{destination}.bak-{stamp}-{n}";
                }

                File.Move(destination, backup);
                kept.Add((destination, backup));
            }

            File.Move(file, destination, overwrite: true);
        }

        return kept;
    }

    /// <summary>
    /// The student version of one notebook, cell by cell: outputs cleared (<see cref="ClearOutputs"/>), solutions stubbed
    /// (<see cref="StubSolutions"/>), hidden checks removed (<see cref="RemoveHiddenChecks"/>); throws when it breaks the exercise rules.
    /// </summary>
    public static NotebookDocument ForStudents(NotebookDocument notebook) =>
        notebook.WithCells(notebook.Cells.Select((c, i) => StudentCell(c, $"{notebook.Name}, cell {i + 1}")));

    /// <summary>One cell of the student version; a solution region outside an exercise cell, an exercise without one, or hidden checks outside a check cell is a <see cref="CourseException"/>.</summary>
    private static NotebookCell StudentCell(NotebookCell original, string where)
    {
        var cell = ClearOutputs.Apply(original);
        if (!cell.IsCode)
        {
            return cell;
        }

        var marker = cell.Marker;
        var source = cell.Source;
        if (StubSolutions.HasMarkers(source))
        {
            if (marker?.Kind != MarkerKind.Exercise)
            {
                throw new CourseException($"{where}: a solution region outside an exercise cell (an exercise cell starts with a line such as `// EXERCISE 01.2 (2 points)`).");
            }

            source = StubSolutions.Apply(source, marker.Id, where);
        }
        else if (marker?.Kind == MarkerKind.Exercise)
        {
            throw new CourseException($"{where}: exercise {marker.Id} has no `{Marker.BeginSolution}` … `{Marker.EndSolution}` region.");
        }

        if (RemoveHiddenChecks.HasMarkers(source))
        {
            if (marker?.Kind != MarkerKind.Check)
            {
                throw new CourseException($"{where}: hidden checks outside a check cell (a check cell starts with a line such as `// CHECK 01.2`).");
            }

            source = RemoveHiddenChecks.Apply(source, where);
        }

        cell.Source = source;
        return cell;
    }

    private static bool IsSameOrInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
