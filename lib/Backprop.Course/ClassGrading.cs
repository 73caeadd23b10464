using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Backprop.Course;

/// <summary>One submission of a batch: the file, the folder it was found in (or named beside) and the student it belongs to.</summary>
internal sealed record Submission(string Path, string Root, string StudentId);

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
        id = id.Trim();
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
    /// <summary>The .ipynb files of <paramref name="paths"/> (a folder: every .ipynb under it, hidden folders such as .ipynb_checkpoints left out), each with its student id.</summary>
    /// <exception cref="CourseException">A path that does not exist, a folder without notebooks, an id the rule cannot read, or one student with two submissions of one lesson.</exception>
    public static IReadOnlyList<Submission> Find(IEnumerable<string> paths, StudentIdRule rule)
    {
        var found = new List<Submission>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var given in paths)
        {
            var path = System.IO.Path.GetFullPath(given);
            IEnumerable<(string File, string Root)> files;
            if (Directory.Exists(path))
            {
                var inFolder = Directory.EnumerateFiles(path, "*.ipynb", SearchOption.AllDirectories)
                    .Where(f => !System.IO.Path.GetRelativePath(path, f).Split(System.IO.Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))
                    .Order(StringComparer.Ordinal).ToList();
                if (inFolder.Count == 0)
                {
                    throw new CourseException($"{given}: no .ipynb files in that folder.");
                }

                files = inFolder.Select(f => (f, path));
            }
            else if (System.IO.File.Exists(path))
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

        return found;
    }

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
    /// time) as each finishes. The results keep the items' order whatever order they finish in.
    /// </summary>
    public static async Task<T[]> PoolAsync<T>(int count, int jobs, Func<int, Task<T>> grade, Action<int, T> done)
    {
        var results = new T[count];
        var next = -1;
        var gate = new object();
        async Task Worker()
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var result = await grade(i);
                results[i] = result;
                lock (gate)
                {
                    done(i, result);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Math.Min(jobs, count))).Select(_ => Task.Run(Worker)));
        return results;
    }

    /// <summary>The progress line: done / total, submissions with problems so far, time gone and the time left at the pace so far.</summary>
    public sealed class Progress(int total, TextWriter writer)
    {
        private readonly ProgressCounter _counter = new(total, writer);
        private int _failed;

        public void Report(SubmissionGrade grade, string studentId)
        {
            if (grade.Problems.Count > 0 || grade.Possible == 0)
            {
                _failed++;
            }

            _counter.Report(string.Create(CultureInfo.InvariantCulture, $"{Printable(studentId)}: {grade.Earned}/{grade.Possible} points · {_failed} with problems so far"));
        }

        /// <summary>An id on one line: control characters (a line break in a folder name) shown escaped.</summary>
        private static string Printable(string id) => string.Concat(id.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
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
            var row = new List<string> { Csv(student.Key), "", "", Csv(student.Key), "" };
            row.AddRange(exercises.Select(e => earned.TryGetValue(e.Id, out var points) ? points.ToString(CultureInfo.InvariantCulture) : "0"));
            row.Add(student.Sum(g => g.Grade.Earned).ToString(CultureInfo.InvariantCulture));
            text.Append(string.Join(',', row)).Append("\r\n");
        }

        WriteAtomically(path, text.ToString());
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
            WriteAtomically(path, Feedback.Html(submission, result, hiddenLines));
            written.Add(path);
        }

        return written;
    }

    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        System.IO.File.WriteAllText(temporary, text, new UTF8Encoding(false));
        System.IO.File.Move(temporary, path, overwrite: true);
    }
}
