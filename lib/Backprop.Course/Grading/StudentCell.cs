namespace Backprop.Course.Grading;

/// <summary>One code cell of the student's file as it ran when graded: its number in the file, its exercise (if any), its outputs, and why it did not succeed (null when it did).</summary>
internal sealed record StudentCell(
    [property: System.Text.Json.Serialization.JsonPropertyName("cell")] int Number,
    [property: System.Text.Json.Serialization.JsonPropertyName("exercise")] string? Exercise,
    [property: System.Text.Json.Serialization.JsonPropertyName("outputs")] IReadOnlyList<string> Outputs,
    [property: System.Text.Json.Serialization.JsonPropertyName("problem")] string? Problem);
