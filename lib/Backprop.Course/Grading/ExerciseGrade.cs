using System.Text.Json.Serialization;

namespace Backprop.Course.Grading;

/// <summary>One exercise of a graded submission.</summary>
internal sealed record ExerciseGrade(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("points")] int Points,
    [property: JsonPropertyName("earned")] int Earned,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("message")] string Message)
{
    /// <summary>
    /// The student's variant of this exercise, graded with a roster: each of the exercise's draws
    /// (<c>Kit::Variant.Draw("ID", from, to, …)</c>) and the value the grader worked out from the student's seed
    /// (<see cref="Transforms.VariantKey.Drawn"/>); null for an exercise without variants or a grade without a roster.
    /// </summary>
    [JsonPropertyName("variant")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Drawn>? Variant { get; init; }

    /// <summary>One parameter of a variant: the range <c>Variant.Draw</c> draws from and the value drawn.</summary>
    public sealed record Drawn(
        [property: JsonPropertyName("from")] int From,
        [property: JsonPropertyName("to")] int To,
        [property: JsonPropertyName("value")] int Value)
    {
        /// <summary>The parameter's name as the reports show it: "Draw 1–4".</summary>
        [JsonIgnore]
        public string Parameter => $"Draw {From}–{To}";
    }
}
