using System.Globalization;
using CsvHelper;

namespace Backprop.Course.Grading;

/// <summary>
/// The gradebook: one row per student, the columns Canvas's gradebook import needs (Student, ID, SIS User ID, SIS Login ID,
/// Section) with the student id as Student and SIS Login ID, then one column per exercise (its points) and Total.
/// </summary>
internal static class Gradebook
{
    /// <summary>
    /// RFC 4180 with CRLF; a text cell that a spreadsheet would read as a formula (a leading = + - @, tab or CR) gets an
    /// apostrophe in front and is quoted, so no spreadsheet runs a student id.
    /// </summary>
    private static readonly CsvWriterOptions s_options = new() { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };

    /// <summary>The gradebook of <paramref name="graded"/>: a student's points of an exercise are the most any of their submissions earned.</summary>
    public static string Text(IReadOnlyList<(Submission Submission, SubmissionGrade Grade)> graded)
    {
        var exercises = graded.SelectMany(g => g.Grade.Exercises.Select(e => (e.Id, e.Points))).Distinct()
            .OrderBy(e => e.Id, Comparer<string>.Create(CompareIds)).ToList();
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, s_options))
        {
            csv.WriteRecord(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", .. exercises.Select(e => $"Exercise {e.Id}"), "Total"]);
            foreach (var student in graded.GroupBy(g => g.Submission.StudentId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var earned = student.SelectMany(g => g.Grade.Exercises).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.Max(e => e.Earned));
                var id = ReportText.Clean(student.Key, 200);
                foreach (var field in new[] { id, "", "", id, "" })
                {
                    csv.WriteField(field);
                }

                foreach (var exercise in exercises)
                {
                    csv.WriteField(earned.GetValueOrDefault(exercise.Id), "");
                }

                csv.WriteField(student.Sum(g => g.Grade.Earned), "");
                csv.EndRecord();
            }
        }

        return text.ToString();
    }

    /// <summary>Exercise ids in lesson order, then exercise number as a number (00.2 before 00.10).</summary>
    internal static int CompareIds(string a, string b)
    {
        static (string, int) Key(string id) => id.Split('.') is [var lesson, var n] && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? (lesson, k) : (id, 0);
        var (la, na) = Key(a);
        var (lb, nb) = Key(b);
        var byLesson = string.CompareOrdinal(la, lb);
        return byLesson != 0 ? byLesson : na != nb ? na.CompareTo(nb) : string.CompareOrdinal(a, b);
    }
}
