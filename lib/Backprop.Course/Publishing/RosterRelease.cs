using Backprop.Course.Notebooks;
using Backprop.Course.Transforms;

namespace Backprop.Course.Publishing;

/// <summary>
/// <c>release --roster FILE --secret-file FILE</c>: one complete release per student, in a folder named by the student's id,
/// each notebook whose exercises opt in to variants (<see cref="VariantCell.Exercises"/>) carrying the student's variant cell
/// after its setup cells. The course secret is only read: no file of any release holds it.
/// </summary>
/// <remarks>
/// Each student's folder is what <see cref="Release.Write(string, string, bool, TextWriter, Func{NotebookDocument, NotebookDocument}?)"/>
/// writes with <see cref="Personal"/>, byte for byte, but the work all students share — the notebooks' student versions,
/// the kit's files, the apps of the lessons without variants — is done once, in a staged release copied to each student;
/// per student only the lessons with variants are made again, notebook and app.
/// </remarks>
internal static class RosterRelease
{
    /// <summary>Writes <paramref name="output"/>/ID/ for every id of the roster; returns each student's folder.</summary>
    /// <exception cref="CourseException">A bad roster row or secret (<see cref="VariantKey.Read"/>), an unsafe output (as for a release, the students' folders too), or a lesson that cannot take a variant cell.</exception>
    public static IReadOnlyList<string> Write(string repositoryRoot, string output, bool force, string rosterFile, string secretFile, TextWriter progress)
    {
        var key = VariantKey.Read(rosterFile, secretFile);
        var root = Files.RealPath(repositoryRoot);
        var (target, shown) = Release.Output(output);
        Release.RefuseUnsafeOutput(root, target, shown, force);
        var students = key.Roster.Ids.Select(id => Student.Of(id, target)).ToList();
        foreach (var student in students)
        {
            Release.RefuseUnsafeOutput(root, student.Target, student.Shown, force);
        }

        // Everything is made before anything is written: the release all students share, then each student's own lessons.
        var released = Release.StudentNotebooks(root);
        var common = released.Where(n => VariantCell.Exercises(n).Count == 0).ToList();
        var variant = released.Where(n => VariantCell.Exercises(n).Count > 0).ToList();
        var own = students.Select(s => variant.Select(n => Personal(n, s.Id, key)).ToList()).ToList();
        Kit.EnsureBuilt(root, TextWriter.Null);
        var exporter = new AppExporter(root);
        // All apps in one batch, two at a time; an app names the kit and the notebooks relative to apps/ only, so one folder serves for every student's.
        var apps = exporter.StudentApps([.. common, .. own.SelectMany(o => o)], target);
        var (commonApps, ownApps) = (apps.Take(common.Count).ToList(), apps.Skip(common.Count).ToList());

        var shared = Release.StagingFolder(target);
        try
        {
            Release.StageFiles(root, shared, released, TextWriter.Null);
            Release.WriteApps(shared, common, commonApps);
            var now = DateTime.UtcNow;
            for (var i = 0; i < students.Count; i++)
            {
                WriteStudent(students[i], shared, own[i], [.. ownApps.Skip(i * variant.Count).Take(variant.Count)], now, progress);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CourseException($"--output {shown}: cannot write the release there ({e.Message}).");
        }
        finally
        {
            if (Directory.Exists(shared))
            {
                Directory.Delete(shared, recursive: true);
            }
        }

        progress.WriteLine($"{students.Count} student release(s) written to {target}, one folder per id of the roster; the course secret is in none of them.");
        return [.. students.Select(s => s.Folder)];
    }

    /// <summary>The student's copy of one released notebook: its variant cell added when the lesson has exercises that opt in.</summary>
    public static NotebookDocument Personal(NotebookDocument released, string student, VariantKey key) =>
        VariantCell.Exercises(released) is { Count: > 0 } exercises ? VariantCell.Insert(released, key.Cell(student, exercises)) : released;

    /// <summary>One student's release: the shared one (staged in <paramref name="shared"/>) with the student's own notebooks and apps in place of the lessons' with variants.</summary>
    private static void WriteStudent(Student student, string shared, IReadOnlyList<NotebookDocument> own, IReadOnlyList<string> ownApps, DateTime now, TextWriter progress)
    {
        var kept = Release.WriteStaged(student.Target, student.Shown, now, staging =>
        {
            Files.Copy(shared, staging);   // real copies: a student edits notebooks/ and apps/
            Release.StageNotebooks(staging, own, TextWriter.Null);
            Release.WriteApps(staging, own, ownApps);
        });
        Release.SayKept(kept, student.Target, $"{student.Id}/", progress);
        progress.WriteLine($"released {student.Id}/ (variant cells for {student.Id})");
    }

    /// <summary>A student of the roster: the id, the folder named by it, where that folder really is (links resolved) and how an error names it.</summary>
    private sealed record Student(string Id, string Folder, string Target, string Shown)
    {
        public static Student Of(string id, string output)
        {
            var folder = Path.Combine(output, id);
            var (target, shown) = Release.Output(folder);
            return new(id, folder, target, shown);
        }
    }
}
