using System.Globalization;
using System.Text.RegularExpressions;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Grading;

/// <summary>One student's answers to the concept check, taken <see cref="When"/> ("before" or "after"): per question a letter, a number's text, or null (not answered, or unreadable).</summary>
internal sealed record ConceptSheet(string Student, string When, IReadOnlyList<string?> Answers);

/// <summary>
/// Reads a student's concept-check answers from the source of the answer cell of a submitted notebook, as data: nothing
/// the notebook printed is read, and the cell is never run for this. The cell must be exactly
/// <code>
/// // CONCEPT CHECK before …      (comment lines)
/// ConceptCheck.Answers("before", """
/// 1: c
/// 2: ?
/// …
/// """);
/// </code>
/// with one line per question in order. Anything else in it (code, a missing or extra line, a very long cell) rejects the
/// whole cell with a named problem; an answer that is not a letter of its choices or a number counts as not answered, with a
/// named problem. Never throws for what a submission holds.
/// </summary>
internal static partial class ConceptAnswers
{
    /// <summary>How a concept-check answer cell starts; the next word says when it is taken.</summary>
    public const string Marker = "// CONCEPT CHECK ";

    /// <summary>When the check is taken: at the end of lesson 00 and at the end of the capstone.</summary>
    public static readonly IReadOnlyList<string> Times = ["before", "after"];

    /// <summary>The most characters an answer cell may have (ten questions with their answers need a few hundred).</summary>
    public const int MaxCellChars = 8_000;

    /// <summary>The most characters of one answer.</summary>
    public const int MaxAnswerChars = 40;

    /// <summary>The sheets of every concept-check cell of <paramref name="notebook"/>, and the problems of those that could not be read.</summary>
    public static (List<ConceptSheet> Sheets, List<string> Problems) Read(string student, NotebookDocument notebook, IReadOnlyList<ConceptQuestion> questions)
    {
        var (sheets, problems) = (new List<ConceptSheet>(), new List<string>());
        var cells = notebook.Cells.Where(c => c.IsCode && c.Source.StartsWith(Marker.TrimEnd(), StringComparison.Ordinal)).ToList();
        foreach (var group in cells.GroupBy(c => WhenOf(c.Source)))
        {
            if (group.Key is not { } when)
            {
                problems.Add($"a cell starts with '{Marker.TrimEnd()}' but not with '{Marker}before' or '{Marker}after': not read.");
            }
            else if (group.Count() > 1)
            {
                problems.Add($"{group.Count()} concept-check cells '{when}' in one notebook: none is read.");
            }
            else if (Parse(group.Single().Source, when, questions, problems) is { } answers)
            {
                sheets.Add(new ConceptSheet(student, when, answers));
            }
        }

        return (sheets, problems);
    }

    private static string? WhenOf(string source) => Times.FirstOrDefault(t => source.StartsWith(Marker + t, StringComparison.Ordinal)
        && (source.Length == Marker.Length + t.Length || !char.IsLetterOrDigit(source[Marker.Length + t.Length])));

    /// <summary>The answers of one cell, or null when the cell is not an answer cell as released (each reason added to <paramref name="problems"/>).</summary>
    internal static List<string?>? Parse(string source, string when, IReadOnlyList<ConceptQuestion> questions, List<string> problems)
    {
        var name = $"the concept-check cell '{when}'";
        if (source.Length > MaxCellChars)
        {
            problems.Add($"{name} is {source.Length:N0} characters long (an answer cell is at most {MaxCellChars:N0}): not read.");
            return null;
        }

        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var call = $"ConceptCheck.Answers(\"{when}\", \"\"\"";
        var start = Array.FindIndex(lines, l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal));
        var end = start < 0 ? -1 : Array.FindIndex(lines, start + 1, l => l.Trim() is "\"\"\");" or "\"\"\")");
        if (start < 0 || lines[start].Trim() != call || end < 0)
        {
            problems.Add($"{name} does not hold the line {call}, its answers and the closing \"\"\"); — as released: not read.");
            return null;
        }

        if (Array.FindIndex(lines, end + 1, l => l.Trim().Length > 0) is var extra and >= 0)
        {
            problems.Add($"{name} holds something after its answers (line {extra + 1}: {ReportText.OneLine(lines[extra].Trim(), 60)}): only the answers are read, so the cell is not.");
            return null;
        }

        var answerLines = lines[(start + 1)..end];
        var numbered = answerLines.Select(l => AnswerLine().Match(l)).ToList();
        if (numbered.Count != questions.Count || numbered.Select((m, i) => m.Success && m.Groups["n"].Value == (i + 1).ToString(CultureInfo.InvariantCulture)).Contains(false))
        {
            var wrong = numbered.Select((m, i) => (m, i)).FirstOrDefault(p => !p.m.Success);
            problems.Add($"{name} must have {questions.Count} answer lines, numbered 1: to {questions.Count}: in order; it has {answerLines.Length} line(s)"
                + (wrong.m is { Success: false } ? $", line {start + 2 + wrong.i} is not an answer ({ReportText.OneLine(answerLines[wrong.i].Trim(), 60)})" : "") + ": not read.");
            return null;
        }

        return [.. numbered.Select((m, i) => Answer(m.Groups["a"].Value.Trim(), questions[i], i + 1, name, problems))];
    }

    /// <summary>One answer as the key compares it (a lower-case letter, or a number's text), or null: not answered (?, nothing) or unreadable (a problem).</summary>
    private static string? Answer(string text, ConceptQuestion question, int number, string name, List<string> problems)
    {
        if (text is "" or "?")
        {
            return null;
        }

        if (text.Length > MaxAnswerChars)
        {
            problems.Add($"{name}, question {number}: the answer is {text.Length:N0} characters long (at most {MaxAnswerChars}): counted as not answered.");
            return null;
        }

        if (question.IsChoice)
        {
            var letter = text.ToLowerInvariant();
            if (letter is [>= 'a' and var c] && c - 'a' < question.Choices.Count)
            {
                return letter;
            }

            problems.Add($"{name}, question {number}: '{ReportText.OneLine(text)}' is not one of the letters a to {(char)('a' + question.Choices.Count - 1)}: counted as not answered.");
            return null;
        }

        if (Number(text) is not null)
        {
            return text;
        }

        problems.Add($"{name}, question {number}: '{ReportText.OneLine(text)}' is not a number (write e.g. 0.25 or 1/4): counted as not answered.");
        return null;
    }

    /// <summary>A number as a student writes one: 0.25, -3, 1e-3, 2.5E+2, or a fraction 1/4 (a Unicode minus too); null for anything else.</summary>
    public static double? Number(string text)
    {
        var match = NumberText().Match(text.Replace('−', '-'));
        if (!match.Success)
        {
            return null;
        }

        var value = double.Parse(match.Groups["p"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (match.Groups["q"].Success)
        {
            var denominator = double.Parse(match.Groups["q"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            return denominator == 0 ? null : value / denominator;
        }

        return double.IsFinite(value) ? value : null;
    }

    [GeneratedRegex(@"^\s*(?<n>\d{1,3})\s*:(?<a>.*)$")]
    private static partial Regex AnswerLine();

    [GeneratedRegex(@"^(?<p>[-+]?(?:\d{1,12}(?:\.\d{0,12})?|\.\d{1,12})(?:[eE][-+]?\d{1,3})?)(?:\s*/\s*(?<q>\d{1,12}))?$")]
    private static partial Regex NumberText();
}
