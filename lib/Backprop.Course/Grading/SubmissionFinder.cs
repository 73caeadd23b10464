using System.IO.Enumeration;

namespace Backprop.Course.Grading;

/// <summary>
/// The first step of grading a class: the submissions in the files and folders named, each read once (its bytes are what
/// is hashed and graded), with its student's id; and the ids that look like one student named two ways.
/// </summary>
/// <remarks>
/// Every file is read here, before the first is graded, because two submissions of one lesson by one student must stop
/// the batch before it starts; the bytes are kept until the batch ends (at most <see cref="Notebooks.NotebookDocument.MaxFileBytes"/>
/// each, and a lesson with every output is under 1 MB).
/// </remarks>
internal static class SubmissionFinder
{
    /// <summary>
    /// The .ipynb files of <paramref name="paths"/>, each with its student id. A folder stands for every file under it whose
    /// name ends in .ipynb in any case (X.IPYNB too), whatever kind of file it is (a pipe or a link is graded as a problem of
    /// its own submission, never opened); files hidden by a leading dot — in a hidden folder such as .ipynb_checkpoints
    /// (Jupyter's autosaves), or named so (macOS's ._ files) — are left out and listed in <see cref="FoundSubmissions.Hidden"/>;
    /// links to folders are not followed. A file named on the command line is graded whatever its name.
    /// </summary>
    /// <exception cref="CourseException">A path that does not exist, a folder without notebooks, an id the rule cannot read, or one student with two submissions of one lesson.</exception>
    public static FoundSubmissions Find(IEnumerable<string> paths, StudentIdRule rule)
    {
        var found = new List<Submission>();
        var hidden = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var given in paths)
        {
            var path = System.IO.Path.GetFullPath(given);
            IEnumerable<(string File, string Root)> files;
            if (Directory.Exists(path))
            {
                var inFolder = new List<string>();
                foreach (var file in NotebooksUnder(path))
                {
                    var relative = System.IO.Path.GetRelativePath(path, file);
                    (relative.Split(System.IO.Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')) ? hidden : inFolder).Add(file);
                }

                if (inFolder.Count == 0)
                {
                    var skipped = hidden.Where(h => h.StartsWith(path + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
                    throw new CourseException($"{given}: no .ipynb files in that folder{(skipped.Count > 0 ? $" ({skipped.Count} hidden by a leading dot, such as {skipped[0]}: name one to grade it)" : "")}.");
                }

                files = inFolder.Order(StringComparer.Ordinal).Select(f => (f, path));
            }
            else if (System.IO.File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                files = [(path, System.IO.Path.GetDirectoryName(path)!)];
            }
            else
            {
                throw new CourseException($"{given}: no such file or folder.");
            }

            foreach (var (file, root) in files.Where(f => seen.Add(f.File)))
            {
                found.Add(new Submission(file, root, rule.IdOf(file, root)) { File = SubmittedFile.Read(file) });
            }
        }

        // One student, one submission per lesson: two would fight over one gradebook row.
        foreach (var group in found.GroupBy(s => (s.StudentId, Lesson: LessonOrNull(s.File!))).Where(g => g.Key.Lesson is not null && g.Count() > 1))
        {
            throw new CourseException($"student '{group.Key.StudentId}' has {group.Count()} submissions of lesson {group.Key.Lesson} ({string.Join(", ", group.Select(s => s.Path))}); grade one, or choose another --student-id.");
        }

        return new FoundSubmissions(found, [.. hidden.Order(StringComparer.Ordinal)]);
    }

    /// <summary>Every entry under <paramref name="folder"/> that is not a folder and whose name ends in .ipynb, any case; links to folders are not followed (a loop would never end).</summary>
    private static IEnumerable<string> NotebooksUnder(string folder) =>
        new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => entry.ToFullPath(), new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && entry.FileName.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };

    /// <summary>
    /// Groups of student ids that differ only by case, character width or Unicode form (NFKC, then upper case): most likely
    /// one student named two ways, graded as two. Each group in ordinal order.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> NearDuplicates(IEnumerable<string> studentIds) =>
    [
        .. studentIds.Distinct(StringComparer.Ordinal)
            .GroupBy(id => UnicodeForms.Nfkc(id).ToUpperInvariant(), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<string>)[.. g.Order(StringComparer.Ordinal)])
            .OrderBy(g => g[0], StringComparer.Ordinal),
    ];

    /// <summary>The warning for one group of <see cref="NearDuplicates"/>.</summary>
    public static string NearDuplicateWarning(IReadOnlyList<string> ids) =>
        $"student ids {string.Join(", ", ids.Select(id => $"'{ReportText.OneLine(id, 200)}'"))} differ only by case, width or Unicode form: graded as {ids.Count} students; if they are one, rename the files or folders (or choose another --student-id).";

    /// <summary>The lesson a submission says it is (null when it cannot be read or says none).</summary>
    private static string? LessonOrNull(SubmittedFile file)
    {
        try
        {
            return Grader.LessonOf(file.Open());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
