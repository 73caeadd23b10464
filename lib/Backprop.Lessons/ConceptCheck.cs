using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Backprop.Lessons;

/// <summary>
/// The concept check: a few questions on the lecture's ideas (what δ_j is, why σ′ ≤ 1/4 makes early gradients vanish, why
/// central differences beat forward ones, why ReLU avoids saturation, …), answered once at the end of lesson 00 and once at
/// the end of the capstone. It is not graded: the lecturer's analysis compares the class's answers before and after
/// (Hake's normalised gain). The questions are the kit's data file ConceptCheck/concept-check.json; the answers' key is not
/// in the kit.
/// </summary>
public static class ConceptCheck
{
    private static readonly Lazy<IReadOnlyList<(string Text, IReadOnlyList<string> Choices)>> s_questions = new(Load);

    /// <summary>The questions, in order: each one's text and its choices (none for a question answered with a number).</summary>
    public static IReadOnlyList<(string Text, IReadOnlyList<string> Choices)> Questions => s_questions.Value;

    /// <summary>
    /// Shows the questions, each with the answer written for it in <paramref name="answers"/> (one line per question,
    /// "3: b"): the answer cell calls it. The answers are read from the cell itself when the lecturer analyses the class,
    /// so nothing this prints counts; it only shows what will be read.
    /// </summary>
    /// <param name="when">"before" (end of lesson 00) or "after" (end of the capstone).</param>
    /// <param name="answers">The answer lines, "1: c" … one per question; "?" or nothing for not answered.</param>
    public static void Answers(string when, string answers)
    {
        if (when is not ("before" or "after"))
        {
            throw new ArgumentException($"when is \"{when}\": the concept check is taken \"before\" or \"after\".", nameof(when));
        }

        ArgumentNullException.ThrowIfNull(answers);
        var given = new Dictionary<int, string>();
        foreach (var line in answers.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && int.TryParse(line[..colon].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                given[number] = line[(colon + 1)..].Trim();
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Concept check ({(when == "before" ? "before lesson 01" : "after the capstone")}) — not graded, no points, no answers shown.");
        text.AppendLine("Write each answer on its line in this cell (the letter of one choice, or a number; ? if you do not know), run it again, and save the notebook.");
        for (var i = 0; i < Questions.Count; i++)
        {
            var (question, choices) = Questions[i];
            text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"{i + 1}. {question}");
            for (var c = 0; c < choices.Count; c++)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"   {(char)('a' + c)}) {choices[c]}");
            }

            var answer = given.GetValueOrDefault(i + 1) is { Length: > 0 } a && a != "?" ? a : null;
            text.AppendLine(CultureInfo.InvariantCulture, $"   Your answer: {answer ?? "not answered yet"}");
        }

        var answered = Enumerable.Range(1, Questions.Count).Count(n => given.GetValueOrDefault(n) is { Length: > 0 } a && a != "?");
        text.AppendLine().Append(CultureInfo.InvariantCulture, $"Answered: {answered} of {Questions.Count}.");
        Console.WriteLine(text.ToString());
    }

    private static IReadOnlyList<(string, IReadOnlyList<string>)> Load()
    {
        using var stream = typeof(ConceptCheck).Assembly.GetManifestResourceStream("Backprop.Lessons.concept-check.json")
            ?? throw new InvalidOperationException("the kit's concept-check questions (ConceptCheck/concept-check.json) are not embedded in Backprop.Lessons.");
        using var json = JsonDocument.Parse(stream);
        return [.. json.RootElement.GetProperty("questions").EnumerateArray().Select(q => (
            q.GetProperty("text").GetString()!,
            (IReadOnlyList<string>)(q.TryGetProperty("choices", out var choices) ? [.. choices.EnumerateArray().Select(c => c.GetString()!)] : [])))];
    }
}
