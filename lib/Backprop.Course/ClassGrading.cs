using System.Globalization;
using System.IO.Enumeration;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Backprop.Course;

/// <summary>One submission of a batch: the file, the folder it was found in (or named beside) and the student it belongs to.</summary>
internal sealed record Submission(string Path, string Root, string StudentId);

/// <summary>What <see cref="ClassGrading.Find"/> found: the submissions, and the .ipynb files it left out because a leading dot hides them (themselves or a folder they are in).</summary>
internal sealed record FoundSubmissions(IReadOnlyList<Submission> Submissions, IReadOnlyList<string> Hidden)
{
    /// <summary>The one line that says what was left out and how to grade it anyway (null when nothing was).</summary>
    public string? HiddenLine => Hidden.Count == 0 ? null : string.Create(CultureInfo.InvariantCulture,
        $"skipped {Hidden.Count} .ipynb file(s) hidden by a leading dot (a hidden folder such as .ipynb_checkpoints, or the file's own name): {string.Join(", ", Hidden.Take(5).Select(h => ReportText.OneLine(h, 200)))}{(Hidden.Count > 5 ? $", and {Hidden.Count - 5} more" : "")} — name a file on the command line to grade it.");
}

/// <summary>How a student's id is read from a submission's path: the file name, the folder it is in, or a regular expression.</summary>
internal sealed class StudentIdRule
{
    private readonly string _kind;
    private readonly Regex? _pattern;

    private StudentIdRule(string kind, Regex? pattern)
    {
        _kind = kind;
        _pattern = pattern;
    }

    public static StudentIdRule File { get; } = new("file", null);

    /// <summary>Parses <c>file</c>, <c>folder</c> or <c>regex:PATTERN</c> (the group <c>id</c>, else group 1, else the whole match, of the path relative to the folder named on the command line, with '/').</summary>
    public static StudentIdRule Parse(string text)
    {
        if (text is "file" or "folder")
        {
            return new(text, null);
        }

        if (text.StartsWith("regex:", StringComparison.Ordinal))
        {
            try
            {
                return new("regex", new Regex(text["regex:".Length..], RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            }
            catch (ArgumentException e)
            {
                throw new CourseException($"--student-id {text}: not a valid regular expression ({e.Message}).");
            }
        }

        throw new CourseException($"--student-id {text}: expected file, folder or regex:PATTERN.");
    }

    public string IdOf(string path, string root)
    {
        var id = _kind switch
        {
            "file" => System.IO.Path.GetFileNameWithoutExtension(path),
            "folder" => System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) ?? "",
            _ => Match(path, root),
        };
        // One student, one id: "café" typed on a Mac (decomposed, NFD) and on Windows (composed, NFC) is the same student.
        id = UnicodeForms.Nfc(id.Trim());
        return id.Length > 0 ? id : throw new CourseException($"{path}: --student-id {_kind} gives an empty student id.");
    }

    private string Match(string path, string root)
    {
        var relative = System.IO.Path.GetRelativePath(root, path).Replace('\\', '/');
        var match = _pattern!.Match(relative);
        if (!match.Success)
        {
            throw new CourseException($"{path}: --student-id regex:{_pattern} does not match '{relative}'.");
        }

        return match.Groups["id"] is { Success: true } named ? named.Value : match.Groups.Count > 1 ? match.Groups[1].Value : match.Value;
    }
}

/// <summary>
/// Grading a whole class: finds the submissions in the files and folders named, reads each student's id, grades them
/// with a pool of sandboxed kernels (each submission in a throwaway folder of its own), shows progress, and writes the
/// gradebook, the feedback files and the JSON report.
/// </summary>
internal static class ClassGrading
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
                found.Add(new Submission(file, root, rule.IdOf(file, root)));
            }
        }

        // One student, one submission per lesson: two would fight over one gradebook row.
        foreach (var group in found.GroupBy(s => (s.StudentId, Lesson: LessonOrNull(s.Path))).Where(g => g.Key.Lesson is not null && g.Count() > 1))
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

    private static string? LessonOrNull(string path)
    {
        try
        {
            return Grader.LessonOf(NotebookDocument.Load(path));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>
    /// Grades <paramref name="count"/> items with <paramref name="jobs"/> at a time; <paramref name="done"/> is called (one call at a
    /// time) as each finishes. The results keep the items' order whatever order they finish in. The BCL's Parallel.ForEachAsync
    /// hands out the items, lowest index first; <paramref name="stop"/> leaves the items not yet started ungraded.
    /// </summary>
    /// <remarks>Once <paramref name="stop"/> is cancelled no item is started; those in progress finish (their entries of the result stay default).</remarks>
    public static async Task<T[]> PoolAsync<T>(int count, int jobs, Func<int, Task<T>> grade, Action<int, T> done, CancellationToken stop = default)
    {
        var results = new T[count];
        var gate = new Lock();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, jobs) }, async (i, _) =>
        {
            if (stop.IsCancellationRequested)
            {
                return;   // stopping: the items in progress finish, the rest are not started (their results stay default)
            }

            var result = await grade(i);
            results[i] = result;
            lock (gate)
            {
                done(i, result);
            }
        });
        return results;
    }

    /// <summary>The progress line: done / total, submissions with problems so far, time gone and the time left at the pace so far.</summary>
    public sealed class Progress(int total, TextWriter writer)
    {
        private readonly ProgressCounter _counter = new(total, writer);
        private int _failed;

        public void Report(SubmissionGrade grade, string studentId, bool kept = false)
        {
            if (grade.Problems.Count > 0 || grade.Possible == 0)
            {
                _failed++;
            }

            _counter.Report(string.Create(CultureInfo.InvariantCulture, $"{ReportText.OneLine(studentId, 200)}: {grade.Earned}/{grade.Possible} points{(kept ? " (kept: graded before)" : "")} · {_failed} with problems so far"));
        }
    }

    /// <summary>
    /// Writes the gradebook: one row per student, the columns Canvas's gradebook import needs (Student, ID, SIS User ID,
    /// SIS Login ID, Section) with the student id as Student and SIS Login ID, then one column per exercise (its points)
    /// and Total. RFC 4180 quoting; a cell that a spreadsheet would read as a formula starts with an apostrophe.
    /// </summary>
    public static void WriteGradebook(string path, IReadOnlyList<(Submission Submission, SubmissionGrade Grade)> graded)
    {
        var exercises = graded.SelectMany(g => g.Grade.Exercises.Select(e => (e.Id, e.Points))).Distinct()
            .OrderBy(e => e.Id, Comparer<string>.Create(CompareIds)).ToList();
        var header = new List<string> { "Student", "ID", "SIS User ID", "SIS Login ID", "Section" };
        header.AddRange(exercises.Select(e => $"Exercise {e.Id}"));
        header.Add("Total");
        var text = new StringBuilder();
        text.Append(string.Join(',', header.Select(Csv))).Append("\r\n");
        foreach (var student in graded.GroupBy(g => g.Submission.StudentId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var earned = student.SelectMany(g => g.Grade.Exercises).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.Max(e => e.Earned));
            var id = ReportText.Clean(student.Key, 200);
            var row = new List<string> { Csv(id), "", "", Csv(id), "" };
            row.AddRange(exercises.Select(e => earned.TryGetValue(e.Id, out var points) ? points.ToString(CultureInfo.InvariantCulture) : "0"));
            row.Add(student.Sum(g => g.Grade.Earned).ToString(CultureInfo.InvariantCulture));
            text.Append(string.Join(',', row)).Append("\r\n");
        }

        Files.WriteAtomically(path, text.ToString());
    }

    /// <summary>Exercise ids in lesson order, then exercise number as a number (00.2 before 00.10).</summary>
    private static int CompareIds(string a, string b)
    {
        static (string, int) Key(string id) => id.Split('.') is [var lesson, var n] && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? (lesson, k) : (id, 0);
        var (la, na) = Key(a);
        var (lb, nb) = Key(b);
        var byLesson = string.CompareOrdinal(la, lb);
        return byLesson != 0 ? byLesson : na != nb ? na.CompareTo(nb) : string.CompareOrdinal(a, b);
    }

    /// <summary>One CSV field: quoted when it holds a comma, quote, or line break (quotes doubled); a leading = + - @ or tab gets an apostrophe, so no spreadsheet runs it as a formula.</summary>
    internal static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>A file name made of the student id and the lesson: letters, digits, '.', '-' and '_' only (anything else, path separators and "..", becomes '_').</summary>
    internal static string SafeFileName(string studentId, string? lesson)
    {
        var name = new StringBuilder();
        foreach (var c in studentId)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        var stem = name.Length > 80 ? name.ToString(0, 80) : name.ToString();
        return $"{stem}-lesson-{(lesson is { } l && l.All(char.IsAsciiDigit) ? l : "unknown")}.html";
    }

    /// <summary>Writes one feedback page per submission into <paramref name="folder"/>; returns the files written, in the submissions' order.</summary>
    public static IReadOnlyList<string> WriteFeedback(string folder, IReadOnlyList<(Submission Submission, GradedSubmission Graded)> graded, IReadOnlySet<string> hiddenLines)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (submission, result) in graded)
        {
            var name = SafeFileName(submission.StudentId, result.Grade.Lesson);
            for (var n = 2; !used.Add(name); n++)
            {
                name = System.IO.Path.GetFileNameWithoutExtension(SafeFileName(submission.StudentId, result.Grade.Lesson)) + $"-{n}.html";
            }

            var path = System.IO.Path.Combine(folder, name);
            Files.WriteAtomically(path, Feedback.Html(submission, result, hiddenLines));
            written.Add(path);
        }

        return written;
    }

    /// <summary>Kept only for Program.cs until its split into Cli/ verbs calls <see cref="Files.WriteAtomically"/>.</summary>
    public static void WriteAtomically(string path, string text) => Files.WriteAtomically(path, text);
}

/// <summary>
/// What <c>grade --resume</c> matches besides a submission's own SHA-256: a hash of everything else that decides its grade —
/// the course tool (its module id: a rebuilt tool with other rules), the kit (every file of the verified image), the code
/// cells of the submission's lesson (its setup and check cells, hidden checks included, and the cells it trusts). A result
/// graded with anything else is graded again. The time limits are not part of it: a batch resumed with another
/// --timeout keeps what it graded (a lecturer who wants the timed-out ones graded again removes them from the report).
/// </summary>
internal sealed class GradingKey
{
    private readonly string _common;
    private readonly Dictionary<string, string> _lessons = new(StringComparer.Ordinal);
    private readonly string _allLessons;

    /// <param name="lessonsFolder">The lessons the grader grades against (its <c>--lessons</c> folder, else notebooks/), read as the grader reads them.</param>
    /// <param name="kit">The kit image every submission gets a copy of.</param>
    public GradingKey(string lessonsFolder, KitImage kit)
    {
        _common = string.Create(CultureInfo.InvariantCulture, $"tool {typeof(GradingKey).Assembly.ManifestModule.ModuleVersionId:D}\nkit {kit.Sha256}\n");
        foreach (var path in Directory.GetFiles(lessonsFolder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var notebook = NotebookDocument.Load(path);
            if (Grader.LessonOf(notebook) is { } lesson)
            {
                var code = new StringBuilder();
                foreach (var cell in notebook.Cells.Where(c => c.IsCode))
                {
                    code.Append(cell.KernelName).Append('\n').Append(cell.Source).Append('\0');
                }

                _lessons[lesson] = Hash(code.ToString());
            }
        }

        _allLessons = Hash(string.Join("\n", _lessons.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} {l.Value}")));
    }

    /// <summary>The key of a result of lesson <paramref name="lesson"/> (null or not a lesson of the course: every lesson counts, a new one could make it gradable).</summary>
    public string For(string? lesson) => Hash(_common + (lesson is not null && _lessons.TryGetValue(lesson, out var code) ? $"lesson {lesson} {code}" : $"lessons {_allLessons}"));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// Unicode normalisation of student ids (NFC, NFKC). The course tool runs with invariant globalization (the same results on
/// every machine), where <see cref="string.Normalize(NormalizationForm)"/> leaves non-ASCII text as it is; so the ICU
/// library is called directly, found the way .NET itself finds it (libicuuc.so.N, newest first, its functions suffixed
/// _N; macOS's libicucore). Without ICU the text is returned as it is and <see cref="Available"/> is false.
/// </summary>
internal static unsafe class UnicodeForms
{
    private static readonly Lazy<(IntPtr Nfc, IntPtr Nfkc, IntPtr Normalize)?> s_icu = new(LoadIcu);

    /// <summary>True when NFC and NFKC really normalise here (ICU was found, or .NET's own normalisation works).</summary>
    public static bool Available => Nfc("e\u0301") == "\u00e9";

    public static string Nfc(string text) => Apply(text, compatibility: false);

    public static string Nfkc(string text) => Apply(text, compatibility: true);

    private static string Apply(string text, bool compatibility)
    {
        if (System.Text.Ascii.IsValid(text))
        {
            return text;   // ASCII is the same in every normal form
        }

        if (s_icu.Value is not { } icu)
        {
            return text.Normalize(compatibility ? NormalizationForm.FormKC : NormalizationForm.FormC);
        }

        var normalize = (delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int>)icu.Normalize;
        var instance = compatibility ? icu.Nfkc : icu.Nfc;
        var buffer = new char[text.Length * 3 + 16];
        for (var attempt = 0; attempt < 2; attempt++)
        {
            int error = 0, length;
            fixed (char* source = text)
            fixed (char* destination = buffer)
            {
                length = normalize(instance, source, text.Length, destination, buffer.Length, &error);
            }

            const int BufferOverflow = 15;   // U_BUFFER_OVERFLOW_ERROR: length is the size needed
            if (error == BufferOverflow)
            {
                buffer = new char[length];
                continue;
            }

            return error > 0 ? text : new string(buffer, 0, length);   // U_FAILURE(error) is error > 0
        }

        return text;
    }

    private static (IntPtr, IntPtr, IntPtr)? LoadIcu()
    {
        var candidates = OperatingSystem.IsMacOS()
            ? [("/usr/lib/libicucore.dylib", "")]
            : Enumerable.Range(50, 50).Reverse().Select(v => ($"libicuuc.so.{v}", $"_{v}")).Append(("libicuuc.so", "")).ToArray();
        foreach (var (library, suffix) in candidates)
        {
            if (!NativeLibrary.TryLoad(library, out var handle))
            {
                continue;
            }

            if (NativeLibrary.TryGetExport(handle, "unorm2_getNFCInstance" + suffix, out var nfc)
                && NativeLibrary.TryGetExport(handle, "unorm2_getNFKCInstance" + suffix, out var nfkc)
                && NativeLibrary.TryGetExport(handle, "unorm2_normalize" + suffix, out var normalize))
            {
                int error = 0;
                var nfcInstance = ((delegate* unmanaged<int*, IntPtr>)nfc)(&error);
                var nfkcInstance = ((delegate* unmanaged<int*, IntPtr>)nfkc)(&error);
                if (error <= 0 && nfcInstance != IntPtr.Zero && nfkcInstance != IntPtr.Zero)
                {
                    return (nfcInstance, nfkcInstance, normalize);
                }
            }

            NativeLibrary.Free(handle);
        }

        return null;
    }
}
