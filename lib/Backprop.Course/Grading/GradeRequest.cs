namespace Backprop.Course.Grading;

/// <summary>What the grade verb was asked: the paths (relative to <paramref name="CurrentDirectory"/>), the outputs (full paths or null) and how to grade.</summary>
internal sealed record GradeRequest(string CurrentDirectory, IReadOnlyList<string> Paths, bool Json, int Timeout, int CellTimeout, string? Report, bool Resume, int Jobs,
    StudentIdRule StudentId, string? Gradebook, string? Feedback, string? Gradescope, string? Lessons, bool AllowWeakConfinement)
{
    /// <summary>Classroom 50's result.json to write (<see cref="Classroom50Result"/>), or null.</summary>
    public string? Classroom50 { get; init; }

    /// <summary>The similarity report (HTML; its JSON beside it) to write (<see cref="SimilarityReport"/>), or null.</summary>
    public string? Similarity { get; init; }

    /// <summary>The exercise analysis (HTML; its JSON beside it) to write (<see cref="AnalysisReport"/>), or null.</summary>
    public string? Analysis { get; init; }

    /// <summary>The roster and course secret each student's variant is written from (<c>--roster</c>, <c>--secret-file</c>), or null.</summary>
    public Transforms.VariantKey? Variants { get; init; }

    /// <summary>The variant key of <c>--roster</c> and <c>--secret-file</c> (<see cref="Transforms.VariantKey.Read"/>), or null when they are not given.</summary>
    public static Transforms.VariantKey? ReadVariants(string? roster, string? secret) => roster is null || secret is null ? null : Transforms.VariantKey.Read(roster, secret);

    /// <summary>Where environment variables are read (the Classroom 50 identity); the process's environment unless a caller says otherwise.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
