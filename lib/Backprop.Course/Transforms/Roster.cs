using System.Text;

namespace Backprop.Course.Transforms;

/// <summary>
/// The course roster: the students' ids, one per row of a CSV file (RFC 4180; the first column is the id, other columns
/// such as names are ignored; a first row whose first field is <c>id</c>, <c>student</c>, <c>login</c> or <c>username</c>
/// is a header; blank rows are skipped). An id names a folder of the release and a row of the gradebook, so it must be
/// 1 to 64 characters of ASCII letters, digits and <c>. - _ @ +</c>, not starting with a dot; ids that differ only by
/// case are one id twice (they would share a folder on a case-insensitive file system).
/// </summary>
internal sealed class Roster
{
    /// <summary>The most characters of an id.</summary>
    public const int MaxIdLength = 64;

    private static readonly string[] s_headers = ["id", "student", "student id", "login", "username"];
    private readonly HashSet<string> _ids;

    private Roster(IReadOnlyList<string> ids)
    {
        Ids = ids;
        _ids = new HashSet<string>(ids, StringComparer.Ordinal);
    }

    /// <summary>The ids, in the roster's order.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Whether <paramref name="id"/> is on the roster, exactly as written there.</summary>
    public bool Contains(string id) => _ids.Contains(id);

    /// <summary>Reads the roster at <paramref name="path"/>.</summary>
    /// <exception cref="CourseException">No such file, or a row that is not a usable id (the row and the reason named).</exception>
    public static Roster Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CourseException($"--roster {path}: no such file (a CSV file with one student id per row).");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>The roster in CSV <paramref name="text"/>; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="CourseException">A row that is not a usable id, a duplicate, or no id at all.</exception>
    public static Roster Parse(string text, string name)
    {
        var ids = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var rows = Rows(text, name);
        for (var r = 0; r < rows.Count; r++)
        {
            var (line, fields) = rows[r];
            var id = fields[0].Trim();
            if (fields.All(f => f.Trim().Length == 0) || (r == 0 && s_headers.Contains(id.ToLowerInvariant())))
            {
                continue;
            }

            if (Refusal(id) is { } reason)
            {
                throw new CourseException($"{name}, line {line}: the id '{ReportText.OneLine(id, 80)}' {reason}.");
            }

            if (seen.TryGetValue(id, out var first))
            {
                throw new CourseException($"{name}, line {line}: the id '{id}' is already on line {first}{(ids.Contains(id) ? "" : " (ids that differ only by case are one student)")}.");
            }

            seen[id] = line;
            ids.Add(id);
        }

        return ids.Count == 0 ? throw new CourseException($"{name}: no student ids (one per row, in the first column).") : new Roster(ids);
    }

    /// <summary>Why <paramref name="id"/> cannot be a student id (it would be a folder name and a gradebook row), or null.</summary>
    public static string? Refusal(string id) => id switch
    {
        "" => "is empty",
        { Length: > MaxIdLength } => $"is longer than {MaxIdLength} characters",
        _ when id.StartsWith('.') => "starts with a dot (`.`, `..` and hidden names are not folder names a release may write)",
        _ when id.FirstOrDefault(c => !IsIdCharacter(c)) is var c and not '\0' =>
            $"holds '{(char.IsControl(c) || char.IsWhiteSpace(c) ? $"\\u{(int)c:x4}" : c.ToString())}': an id is made of ASCII letters, digits and . - _ @ + only (it names a folder of the release)",
        _ => null,
    };

    private static bool IsIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' or '+';

    /// <summary>The CSV rows of <paramref name="text"/>, each with the line it starts on.</summary>
    // Length: RFC 4180's few states (in quotes, a doubled quote, a field, a row's end) in one loop, read together.
    private static List<(int Line, List<string> Fields)> Rows(string text, string name)
    {
        var rows = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var (line, start, quoted, i) = (1, 1, false, 0);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 1 : 0;
                fields.Add(field.ToString());
                rows.Add((start, fields));
                (fields, line) = ([], line + 1);
                field.Clear();
                start = line;
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new CourseException($"{name}, line {start}: a quoted field is not closed.");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add((start, fields));
        }

        return rows;
    }
}
