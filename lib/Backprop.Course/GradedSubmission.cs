namespace Backprop.Course;

/// <summary>A graded submission with what feedback needs besides the grade: the outputs of the student's own cells and which exercises have hidden checks.</summary>
internal sealed record GradedSubmission(SubmissionGrade Grade, IReadOnlyList<StudentCell> Cells, IReadOnlyCollection<string> ExercisesWithHiddenChecks);

/// <summary>One code cell of the student's file as it ran when graded: its number in the file, its exercise (if any), its outputs, and why it did not succeed (null when it did).</summary>
internal sealed record StudentCell(int Number, string? Exercise, IReadOnlyList<string> Outputs, string? Problem);
