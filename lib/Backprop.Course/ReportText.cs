using System.Globalization;
using System.Text;

namespace Backprop.Course;

/// <summary>
/// Text from a submission (a check's message, an exception, a cell's output, a file or folder name) as every report shows
/// it — the terminal, the JSON report, the gradebook, the feedback pages, Gradescope's results: control characters shown
/// escaped (so an ANSI escape sequence, a carriage return or a bidirectional override cannot recolour, overwrite or
/// reorder what the lecturer reads) and the length capped (so a 5 MB exception message cannot flood them).
/// </summary>
internal static class ReportText
{
    /// <summary>The most characters of one message (a problem, a check's message): 2,000.</summary>
    public const int MessageCap = 2_000;

    /// <summary>The most characters of one output of a student's cell in the feedback: 20,000 (a training log of a few hundred lines).</summary>
    public const int OutputCap = 20_000;

    /// <summary>
    /// <paramref name="text"/> with every control character but line feed and tab written as <c>\u001b</c> (a CR LF pair
    /// becomes a line feed), and cut after <paramref name="cap"/> characters with a note of how many more there were.
    /// </summary>
    public static string Clean(string text, int cap = MessageCap)
    {
        var clean = new StringBuilder(Math.Min(text.Length, cap) + 16);
        var i = 0;
        for (; i < text.Length && clean.Length < cap; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }

            if (c is '\n' or '\t' || !IsUnsafe(c))
            {
                clean.Append(c);
            }
            else
            {
                clean.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        if (i < text.Length)
        {
            if (char.IsHighSurrogate(text[i - 1]))
            {
                clean.Length--;   // never half a character
                i--;
            }

            clean.Append(CultureInfo.InvariantCulture, $" … [{text.Length - i:N0} more characters not shown]");
        }

        return clean.ToString();
    }

    /// <summary>On one line: <see cref="Clean"/> with line feeds and tabs escaped too (a student id, a file name).</summary>
    public static string OneLine(string text, int cap = MessageCap) => Clean(text, cap).Replace("\n", "\\u000a", StringComparison.Ordinal).Replace("\t", "\\u0009", StringComparison.Ordinal);

    /// <summary>C0 and C1 controls, DEL, and the characters that change the direction or the lines of text around them.</summary>
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is '\u200e' or '\u200f' or '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');
}
