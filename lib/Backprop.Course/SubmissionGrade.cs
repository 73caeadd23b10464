using System.Text.Json.Serialization;

namespace Backprop.Course;

/// <summary>The grade of one submission, as the JSON report holds it.</summary>
internal sealed record SubmissionGrade(
    [property: JsonPropertyName("notebook")] string Notebook,
    [property: JsonPropertyName("lesson")] string? Lesson,
    [property: JsonPropertyName("exercises")] IReadOnlyList<ExerciseGrade> Exercises,
    [property: JsonPropertyName("earned")] int Earned,
    [property: JsonPropertyName("possible")] int Possible,
    [property: JsonPropertyName("problems")] IReadOnlyList<string> Problems);
