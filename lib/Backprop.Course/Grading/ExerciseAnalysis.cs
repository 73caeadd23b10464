namespace Backprop.Course.Grading;

/// <summary>
/// Where a class stumbles: per exercise how many students attempted it, passed and failed, and their failing check messages
/// grouped by <see cref="FailurePattern"/> (the same mistake with other numbers is one group), most common first; and per
/// lesson how the students' points are spread. A student counts once per exercise, by their best submission (as the
/// gradebook does): passed, else failed, else not attempted (the release's stub still in place).
/// </summary>
internal sealed record ExerciseAnalysis(IReadOnlyList<ExerciseAnalysis.Exercise> Exercises, IReadOnlyList<ExerciseAnalysis.Lesson> Lessons)
{
    /// <summary>One exercise of the class; for an exercise with per-student variants graded with a roster, the same counts per value of each of its parameters (<see cref="Variants"/>).</summary>
    public sealed record Exercise(string Id, string Lesson, int Points, int Students, int Attempted, int Passed, int Failed, IReadOnlyList<Failure> Failures)
    {
        /// <summary>Per parameter of the exercise's variants and value drawn, the students given it and how they did; ordered by parameter, then value. Empty for an exercise without variants, or graded without a roster.</summary>
        public IReadOnlyList<VariantValue> Variants { get; init; } = [];
    }

    /// <summary>
    /// The students whose variant drew <paramref name="Value"/> for the parameter <paramref name="Parameter"/> (a <c>Variant.Draw</c>'s
    /// range), each by their best submission as in <see cref="Exercise"/>: how many, attempted, passed and failed.
    /// </summary>
    public sealed record VariantValue(string Parameter, int From, int To, int Value, int Students, int Attempted, int Passed, int Failed);

    /// <summary>One group of failing messages: the masked pattern, the students whose message has it (ids in order) and one of the messages as it was.</summary>
    public sealed record Failure(string Pattern, IReadOnlyList<string> Students, string Example);

    /// <summary>One lesson: the points possible and, for each score from 0 to <see cref="Possible"/>, how many students have it.</summary>
    public sealed record Lesson(string Id, int Possible, IReadOnlyList<int> StudentsWithPoints)
    {
        public int Students => StudentsWithPoints.Sum();

        public double Mean => Students == 0 ? 0 : (double)StudentsWithPoints.Select((count, points) => count * points).Sum() / Students;

        /// <summary>The median score (the mean of the two middle ones for an even count).</summary>
        public double Median
        {
            get
            {
                var scores = StudentsWithPoints.SelectMany((count, points) => Enumerable.Repeat(points, count)).ToList();
                return scores.Count == 0 ? 0 : (scores[(scores.Count - 1) / 2] + scores[scores.Count / 2]) / 2.0;
            }
        }
    }

    /// <summary>The analysis of the grades of <paramref name="graded"/>: (student id, grade) pairs, several per student allowed.</summary>
    public static ExerciseAnalysis Of(IReadOnlyList<(string Student, SubmissionGrade Grade)> graded)
    {
        var rows = graded.Where(g => g.Grade.Lesson is not null)
            .SelectMany(g => g.Grade.Exercises.Select(e => (g.Student, Lesson: g.Grade.Lesson!, Exercise: e))).ToList();
        var exercises = rows.GroupBy(r => r.Exercise.Id, StringComparer.Ordinal).Select(ExerciseOf).OrderBy(e => e.Id, Comparer<string>.Create(Gradebook.CompareIds)).ToList();
        var lessons = rows.GroupBy(r => r.Lesson, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(lesson =>
        {
            var possible = lesson.GroupBy(r => r.Exercise.Id).Sum(e => e.Max(r => r.Exercise.Points));
            var counts = new int[possible + 1];
            foreach (var student in lesson.GroupBy(r => r.Student, StringComparer.Ordinal))
            {
                counts[Math.Clamp(student.GroupBy(r => r.Exercise.Id).Sum(e => e.Max(r => r.Exercise.Earned)), 0, possible)]++;
            }

            return new Lesson(lesson.Key, possible, counts);
        }).ToList();
        return new(exercises, lessons);
    }

    private static Exercise ExerciseOf(IGrouping<string, (string Student, string Lesson, ExerciseGrade Exercise)> rows)
    {
        // Each student's best: a pass, else their first failing attempt, else not attempted.
        var best = rows.GroupBy(r => r.Student, StringComparer.Ordinal).Select(s =>
            s.FirstOrDefault(r => r.Exercise.Passed) is { Exercise: not null } passed ? passed
            : s.FirstOrDefault(r => !NotAttempted(r.Exercise)) is { Exercise: not null } failed ? failed
            : s.First()).ToList();
        var failing = best.Where(r => !r.Exercise.Passed && !NotAttempted(r.Exercise)).ToList();
        var failures = failing.GroupBy(r => FailurePattern.Of(r.Exercise.Message), StringComparer.Ordinal)
            .Select(g => new Failure(g.Key, [.. g.Select(r => r.Student).Order(StringComparer.Ordinal)], g.OrderBy(r => r.Student, StringComparer.Ordinal).First().Exercise.Message))
            .OrderByDescending(f => f.Students.Count).ThenBy(f => f.Pattern, StringComparer.Ordinal).ToList();
        var first = rows.First();
        return new Exercise(rows.Key, first.Lesson, rows.Max(r => r.Exercise.Points), best.Count,
            best.Count(r => !NotAttempted(r.Exercise)), best.Count(r => r.Exercise.Passed), failing.Count, failures)
        {
            Variants = VariantsOf(rows, best),
        };
    }

    /// <summary>
    /// Each student's best grade (<paramref name="best"/>) under each parameter of their variant: the values the grader drew for them
    /// (any of their grades of the exercise that carries one: all were drawn from the same seed). Students without one are in no row.
    /// </summary>
    private static List<VariantValue> VariantsOf(IEnumerable<(string Student, string Lesson, ExerciseGrade Exercise)> rows, IReadOnlyList<(string Student, string Lesson, ExerciseGrade Exercise)> best)
    {
        var drawn = rows.Where(r => r.Exercise.Variant is not null).GroupBy(r => r.Student, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Exercise.Variant!, StringComparer.Ordinal);
        return [.. best.Where(b => drawn.ContainsKey(b.Student)).SelectMany(b => drawn[b.Student].Select(d => (Drawn: d, b.Exercise)))
            .GroupBy(s => s.Drawn).OrderBy(g => g.Key.From).ThenBy(g => g.Key.To).ThenBy(g => g.Key.Value)
            .Select(g => new VariantValue(g.Key.Parameter, g.Key.From, g.Key.To, g.Key.Value, g.Count(),
                g.Count(s => !NotAttempted(s.Exercise)), g.Count(s => s.Exercise.Passed), g.Count(s => !s.Exercise.Passed && !NotAttempted(s.Exercise))))];
    }

    /// <summary>The release's stub still in place: its check says "not attempted yet".</summary>
    private static bool NotAttempted(ExerciseGrade exercise) => !exercise.Passed && exercise.Message.Contains(WireContract.NotAttempted, StringComparison.Ordinal);
}
