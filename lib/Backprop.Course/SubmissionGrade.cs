using System.Text.Json.Serialization;

namespace Backprop.Course;

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
}
