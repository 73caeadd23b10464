using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backprop.Course.Grading;

/// <summary>
/// The concept check's questions and, when the lecturer has it, its key. The questions are the kit's data file
/// (<see cref="BankPath"/>: the notebooks show them with <c>ConceptCheck.Answers</c>); the key lives beside the instructor's
/// lessons (<see cref="KeyFile"/> in the folder <c>grade</c> grades against), which the release never copies (it copies the
/// notebooks of that folder only), so neither a student's notebook nor the kit a student loads holds it.
/// </summary>
internal sealed class ConceptBank
{
    /// <summary>The question bank, relative to the kit's repository root (a data file of the lessons layer, embedded in its library).</summary>
    public const string BankPath = "lib/Backprop.Lessons/ConceptCheck/concept-check.json";

    /// <summary>The key's file name, in the lessons folder.</summary>
    public const string KeyFile = "concept-check-key.json";

    private readonly IReadOnlyList<(string? Choice, double Number, double Tolerance)>? _key;

    private ConceptBank(IReadOnlyList<ConceptQuestion> questions, IReadOnlyList<(string?, double, double)>? key)
    {
        Questions = questions;
        _key = key;
    }

    public IReadOnlyList<ConceptQuestion> Questions { get; }

    /// <summary>Whether the key was found (without it the answers are read and checked for form, not scored).</summary>
    public bool HasKey => _key is not null;

    /// <summary>The bank of the kit at <paramref name="repositoryRoot"/> and the key in <paramref name="lessonsFolder"/> (none when it has no key file).</summary>
    /// <exception cref="CourseException">The bank or the key is missing a field, has an unknown or a missing question, or is not JSON.</exception>
    public static ConceptBank Load(string repositoryRoot, string lessonsFolder)
    {
        var bankPath = Path.Combine(repositoryRoot, BankPath);
        var keyPath = Path.Combine(lessonsFolder, KeyFile);
        var questions = Read(bankPath, QuestionsOf);
        return new(questions, File.Exists(keyPath) ? Read(keyPath, json => KeyOf(json, questions)) : null);
    }

    /// <summary>A bank made in memory (tests): the questions and the key, one entry per question ("b", or a number as text).</summary>
    internal static ConceptBank Of(IReadOnlyList<ConceptQuestion> questions, IReadOnlyList<string>? key) =>
        new(questions, key?.Select(k => double.TryParse(k, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? ((string?)null, n, 1e-2) : (k, 0.0, 0.0)).ToList());

    /// <summary>Whether <paramref name="answer"/> (as <see cref="ConceptAnswers"/> read it: a letter, or a number's text) answers question <paramref name="index"/> correctly; false without a key.</summary>
    public bool IsCorrect(int index, string? answer)
    {
        if (_key is null || answer is null)
        {
            return false;
        }

        var (choice, number, tolerance) = _key[index];
        return choice is not null ? answer == choice
            : ConceptAnswers.Number(answer) is { } value && Math.Abs(value - number) <= tolerance * Math.Max(Math.Abs(number), double.Epsilon);
    }

    private static T Read<T>(string path, Func<JsonObject, T> read)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject json ? read(json) : throw new CourseException($"{path}: not a JSON object.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or FormatException)
        {
            throw new CourseException($"{path}: the concept check cannot be read ({e.Message}).");
        }
    }

    private static List<ConceptQuestion> QuestionsOf(JsonObject json)
    {
        var questions = (json["questions"] as JsonArray ?? throw new CourseException($"{BankPath}: no \"questions\" list.")).Select((q, i) =>
        {
            var id = q?["id"]?.GetValue<string>() ?? throw new CourseException($"{BankPath}: question {i + 1} has no \"id\".");
            var text = q["text"]?.GetValue<string>() ?? throw new CourseException($"{BankPath}: question {id} has no \"text\".");
            var kind = q["kind"]?.GetValue<string>();
            var choices = q["choices"] is JsonArray list ? list.Select(c => c!.GetValue<string>()).ToList() : [];
            return kind switch
            {
                "choice" when choices.Count is >= 2 and <= 6 => new ConceptQuestion(id, true, text, choices),
                "number" when choices.Count == 0 => new ConceptQuestion(id, false, text, []),
                _ => throw new CourseException($"{BankPath}: question {id} must be \"kind\": \"choice\" with 2 to 6 \"choices\", or \"kind\": \"number\" without choices."),
            };
        }).ToList();
        if (questions.Count == 0 || questions.Select(q => q.Id).Distinct(StringComparer.Ordinal).Count() != questions.Count)
        {
            throw new CourseException($"{BankPath}: the questions must be at least one, each with an id of its own.");
        }

        return questions;
    }

    private static List<(string?, double, double)> KeyOf(JsonObject json, IReadOnlyList<ConceptQuestion> questions)
    {
        var answers = json["answers"] as JsonObject ?? throw new CourseException($"{KeyFile}: no \"answers\" object.");
        if (answers.Select(a => a.Key).FirstOrDefault(k => questions.All(q => q.Id != k)) is { } unknown)
        {
            throw new CourseException($"{KeyFile}: an answer for \"{unknown}\", which is not a question of {BankPath}.");
        }

        return [.. questions.Select<ConceptQuestion, (string?, double, double)>((q, i) => answers[q.Id] switch
        {
            JsonValue letter when q.IsChoice && letter.GetValue<string>() is [>= 'a' and var c] && c - 'a' < q.Choices.Count => (letter.GetValue<string>(), 0, 0),
            JsonObject { } n when !q.IsChoice && n["number"] is JsonValue v => (null, v.GetValue<double>(), n["relative_tolerance"]?.GetValue<double>() ?? 1e-9),
            null => throw new CourseException($"{KeyFile}: no answer for question {i + 1} ({q.Id})."),
            _ => throw new CourseException($"{KeyFile}: the answer for {q.Id} must be {(q.IsChoice ? $"one of the letters a to {(char)('a' + q.Choices.Count - 1)}" : "{ \"number\": …, \"relative_tolerance\": … }")}."),
        })];
    }
}
