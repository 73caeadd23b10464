using System.Globalization;
using Backprop.Course.Running;

namespace Backprop.Course.Grading;

/// <summary>
/// One run of <c>grade</c> over the submissions found: grades each (or keeps its earlier result, --resume), finishes its
/// grade record (the file's SHA-256, the student, what graded it, the warnings about its id) and reports progress; it
/// writes no file (the caller saves <see cref="ReportEntries"/> after each). <see cref="GradeOneAsync"/> may run on several submissions at once; <see cref="Done"/> is
/// called for one at a time.
/// </summary>
internal sealed class GradingBatch(IReadOnlyList<Submission> items, Grader grader, GradingKey key, IReadOnlyList<GradedSubmission> previous,
    IReadOnlyDictionary<string, List<string>> warnings, TextWriter progress, TextWriter stderr)
{
    private readonly GradedSubmission?[] _finished = new GradedSubmission?[items.Count];
    private readonly bool[] _kept = new bool[items.Count];
    private readonly GradedSubmission?[] _earlier = [.. items.Select(i => previous.LastOrDefault(p => p.Grade.Notebook == ReportText.OneLine(i.Path)))];
    private readonly ProgressCounter _line = new(items.Count, stderr);
    private int _withProblems;

    /// <summary>The submissions graded or kept so far, in the order they were found, with whether --resume kept them.</summary>
    public IReadOnlyList<(Submission Submission, GradedSubmission Graded, bool Kept)> Graded =>
        [.. Enumerable.Range(0, items.Count).Where(i => _finished[i] is not null).Select(i => (items[i], _finished[i]!, _kept[i]))];

    /// <summary>Grades submission <paramref name="index"/> from the bytes read once, or keeps its earlier result when the file, the lesson's check cells, the kit and the tool are all what graded it.</summary>
    public async Task<(bool Kept, GradedSubmission Graded)> GradeOneAsync(int index)
    {
        var item = items[index];
        var file = item.File ?? SubmittedFile.Read(item.Path);
        if (_earlier[index] is { } before && file.Sha256 is not null && before.Grade.Sha256 == file.Sha256 && before.Grade.GradedWith == key.For(before.Grade.Lesson))
        {
            return (true, before with { Grade = before.Grade with { Student = item.StudentId, Warnings = WarningsOf(item) } });
        }

        var graded = await grader.GradeWithOutputsAsync(file, item.StudentId);
        var grade = graded.Grade with { Sha256 = file.Sha256, Student = item.StudentId, GradedWith = key.For(graded.Grade.Lesson), Warnings = WarningsOf(item) };
        return (false, (graded with { Grade = grade }).Cleaned());
    }

    /// <summary>Records a finished submission and writes its progress line.</summary>
    public void Done(int index, (bool Kept, GradedSubmission Graded) result)
    {
        if (result.Kept)
        {
            progress.WriteLine($"{ReportText.OneLine(Path.GetFileName(items[index].Path), 200)}: graded before (same content), kept — its lesson's checks, the kit and the grader are unchanged.");
        }

        _finished[index] = result.Graded;
        _kept[index] = result.Kept;
        var grade = result.Graded.Grade;
        if (grade.Problems.Count > 0 || grade.Possible == 0)
        {
            _withProblems++;
        }

        _line.Report(string.Create(CultureInfo.InvariantCulture,
            $"{ReportText.OneLine(items[index].StudentId, 200)}: {grade.Earned}/{grade.Possible} points{(result.Kept ? " (kept: graded before)" : "")} · {_withProblems} with problems so far"));
    }

    /// <summary>What the JSON report holds: what is graded so far, and the earlier results of the rest (an interrupted batch loses nothing it had).</summary>
    public IReadOnlyList<GradedSubmission> ReportEntries => [.. _finished.Select((f, j) => f ?? _earlier[j]).OfType<GradedSubmission>()];

    private IReadOnlyList<string>? WarningsOf(Submission item) => warnings.TryGetValue(item.StudentId, out var list) ? list : null;
}
