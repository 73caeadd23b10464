using Backprop.Course.Notebooks;
using Backprop.Course.Transforms;

namespace Backprop.Course.Publishing;

/// <summary>
/// <c>release --roster FILE --secret-file FILE</c>: one complete release per student, in a folder named by the student's id,
/// each notebook whose exercises opt in to variants (<see cref="VariantCell.Exercises"/>) carrying the student's variant cell
/// after its setup cells. The course secret is only read: no file of any release holds it.
/// </summary>
internal static class RosterRelease
{
    /// <summary>Writes <paramref name="output"/>/ID/ for every id of the roster (<see cref="Release.Write(string, string, bool, TextWriter, Func{NotebookDocument, NotebookDocument}?)"/>); returns each student's folder.</summary>
    /// <exception cref="CourseException">A bad roster row or secret (<see cref="VariantKey.Read"/>), an unsafe output (as for a release), or a lesson that cannot take a variant cell.</exception>
    public static IReadOnlyList<string> Write(string repositoryRoot, string output, bool force, string rosterFile, string secretFile, TextWriter progress)
    {
        var key = VariantKey.Read(rosterFile, secretFile);
        var root = Files.RealPath(repositoryRoot);
        var target = Files.RealPath(output);
        Release.RefuseUnsafeOutput(root, target, target == Path.GetFullPath(output) ? output : $"{output} (= {target})", force);
        var folders = new List<string>();
        foreach (var student in key.Roster.Ids)
        {
            var folder = Path.Combine(target, student);
            Release.Write(root, folder, force, TextWriter.Null, notebook => Personal(notebook, student, key));
            progress.WriteLine($"released {student}/ (variant cells for {student})");
            folders.Add(folder);
        }

        progress.WriteLine($"{folders.Count} student release(s) written to {target}, one folder per id of the roster; the course secret is in none of them.");
        return folders;
    }

    /// <summary>The student's copy of one released notebook: its variant cell added when the lesson has exercises that opt in.</summary>
    public static NotebookDocument Personal(NotebookDocument released, string student, VariantKey key) =>
        VariantCell.Exercises(released) is { Count: > 0 } exercises ? VariantCell.Insert(released, key.Cell(student, exercises)) : released;
}
