using System.Text.Json.Serialization;

namespace Backprop.Course.Grading;

/// <summary>One exercise of a graded submission.</summary>
internal sealed record ExerciseGrade(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("points")] int Points,
    [property: JsonPropertyName("earned")] int Earned,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("message")] string Message);
