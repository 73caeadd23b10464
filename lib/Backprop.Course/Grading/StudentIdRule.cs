using System.Text.RegularExpressions;

namespace Backprop.Course.Grading;

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
