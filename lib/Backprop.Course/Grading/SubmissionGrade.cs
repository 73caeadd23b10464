using System.Text.Json.Serialization;

namespace Backprop.Course.Grading;

/// <summary>The grade of one submission, as the JSON report holds it.</summary>
internal sealed record SubmissionGrade(
    [property: JsonPropertyName("notebook")] string Notebook,
    [property: JsonPropertyName("lesson")] string? Lesson,
    [property: JsonPropertyName("exercises")] IReadOnlyList<ExerciseGrade> Exercises,
    [property: JsonPropertyName("earned")] int Earned,
    [property: JsonPropertyName("possible")] int Possible,
    [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems)
{
    /// <summary>The SHA-256 of the submitted file as graded (the key <c>grade --resume</c> matches on); null when unreadable.</summary>
    [JsonPropertyName("sha256")]
    public string? Sha256 { get; init; }

    /// <summary>The student id (<c>grade --student-id</c>); null when graded one file at a time without one.</summary>
    [JsonPropertyName("student")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Student { get; init; }

    /// <summary>
    /// The SHA-256 of everything besides the file that decided this grade (the course tool, the kit, the code cells of the
    /// lesson: <see cref="GradingKey"/>); <c>grade --resume</c> keeps a result only when this
    /// and <see cref="Sha256"/> both match.
    /// </summary>
    [JsonPropertyName("graded_with")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GradedWith { get; init; }

    /// <summary>What the lecturer should look at besides the grade (a student id that differs from another only by case, width or Unicode form).</summary>
    [JsonPropertyName("warnings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>This grade as every report shows it: each message, problem and name through <see cref="ReportText.Clean"/> (control characters escaped, length capped).</summary>
    public SubmissionGrade Cleaned() => this with
    {
        Notebook = ReportText.OneLine(Notebook),
        Lesson = Lesson is null ? null : ReportText.OneLine(Lesson),
        Exercises = [.. Exercises.Select(e => e with { Id = ReportText.OneLine(e.Id), Message = ReportText.Clean(e.Message) })],
        Problems = [.. Problems.Select(p => ReportText.Clean(p))],
        Warnings = Warnings?.Select(w => ReportText.Clean(w)).ToList(),
    };
}
