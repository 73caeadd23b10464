namespace Backprop.Course.Grading;

/// <summary>
/// The learning gain of a class on the concept check (Hake 1998): the normalised gain g = (post − pre) / (100 − pre), the
/// share of what a student could still gain that they did gain, with pre and post the percentages of questions answered
/// correctly before (lesson 00) and after (the capstone). Reported as Hake does for a class, ⟨g⟩ from the class's average
/// percentages (over the students who took both), and per student. Where pre = 100 there is nothing left to gain: g is
/// undefined there (null), and so is ⟨g⟩ when the class average before is 100. The check is never part of a grade.
/// </summary>
internal sealed record LearningGain(
    IReadOnlyList<LearningGain.Student> Students,
    double? ClassPre,
    double? ClassPost,
    double? ClassGain,
    IReadOnlyList<LearningGain.Question> Questions)
{
    /// <summary>One student: their percentage correct before and after (null when that sheet is missing), and their g (null unless both are there and pre &lt; 100).</summary>
    public sealed record Student(string Id, double? Pre, double? Post, double? Gain);

    /// <summary>One question: the percentage of the matched students (both sheets) answering it correctly before and after, and the change in percentage points.</summary>
    public sealed record Question(int Number, string Id, double Pre, double Post, double Change);

    /// <summary>g = (post − pre) / (100 − pre), with pre and post in percent; null when pre = 100 (nothing left to gain).</summary>
    public static double? Normalised(double pre, double post) => pre >= 100 ? null : (post - pre) / (100 - pre);

    /// <summary>The gains of the students whose sheets are <paramref name="sheets"/>, scored with <paramref name="bank"/>'s key.</summary>
    public static LearningGain Of(IReadOnlyList<ConceptSheet> sheets, ConceptBank bank)
    {
        var n = bank.Questions.Count;
        double Percent(ConceptSheet s) => 100.0 * s.Answers.Select((a, i) => bank.IsCorrect(i, a)).Count(c => c) / n;
        var byStudent = sheets.GroupBy(s => s.Student, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (
            Id: g.Key,
            Pre: g.FirstOrDefault(s => s.When == "before"),
            Post: g.FirstOrDefault(s => s.When == "after"))).ToList();
        var students = byStudent.Select(s =>
        {
            double? pre = s.Pre is null ? null : Percent(s.Pre);
            double? post = s.Post is null ? null : Percent(s.Post);
            return new Student(s.Id, pre, post, pre is { } p && post is { } q ? Normalised(p, q) : null);
        }).ToList();

        var matched = byStudent.Where(s => s.Pre is not null && s.Post is not null).ToList();
        if (matched.Count == 0)
        {
            return new(students, null, null, null, []);
        }

        var classPre = students.Where(s => s.Pre is not null && s.Post is not null).Average(s => s.Pre!.Value);
        var classPost = students.Where(s => s.Pre is not null && s.Post is not null).Average(s => s.Post!.Value);
        var questions = bank.Questions.Select((q, i) =>
        {
            var before = 100.0 * matched.Count(s => bank.IsCorrect(i, s.Pre!.Answers[i])) / matched.Count;
            var after = 100.0 * matched.Count(s => bank.IsCorrect(i, s.Post!.Answers[i])) / matched.Count;
            return new Question(i + 1, q.Id, before, after, after - before);
        }).OrderBy(q => Math.Round(q.Change, 9)).ThenBy(q => q.Number).ToList();
        return new(students, classPre, classPost, Normalised(classPre, classPost), questions);
    }
}
