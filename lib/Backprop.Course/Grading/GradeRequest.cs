namespace Backprop.Course.Grading;

/// <summary>What the grade verb was asked: the paths (relative to <paramref name="CurrentDirectory"/>), the outputs (full paths or null) and how to grade.</summary>
internal sealed record GradeRequest(string CurrentDirectory, IReadOnlyList<string> Paths, bool Json, int Timeout, int CellTimeout, string? Report, bool Resume, int Jobs,
    StudentIdRule StudentId, string? Gradebook, string? Feedback, string? Gradescope, string? Lessons, bool AllowWeakConfinement);
