using System.Globalization;
using System.Text;

namespace Backprop.Course;

/// <summary>
/// The gradebook: one row per student, the columns Canvas's gradebook import needs (Student, ID, SIS User ID, SIS Login ID,
/// Section) with the student id as Student and SIS Login ID, then one column per exercise (its points) and Total.
/// </summary>
internal static class Gradebook
{
    /// <summary>The gradebook of <paramref name="graded"/>: a student's points of an exercise are the most any of their submissions earned.</summary>
    public static string Text(IReadOnlyList<(Submission Submission, SubmissionGrade Grade)> graded)
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

        return text.ToString();
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
}
