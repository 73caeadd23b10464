namespace Backprop.Course.Grading;

/// <summary>One question of the concept check: its id (what the key is matched on), a choice of letters a, b, … or a number.</summary>
internal sealed record ConceptQuestion(string Id, bool IsChoice, string Text, IReadOnlyList<string> Choices);
