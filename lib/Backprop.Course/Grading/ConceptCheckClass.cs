namespace Backprop.Course.Grading;

/// <summary>
/// The class's concept-check answers as the submitted notebooks hold them (<see cref="ConceptAnswers"/>: the answer cells'
/// source, never an output), the problems of the cells that could not be read (by student), and the learning gain when the
/// lecturer's key is there. Ungraded: nothing here reaches a grade.
/// </summary>
internal sealed record ConceptCheckClass(ConceptBank Bank, IReadOnlyList<ConceptSheet> Sheets, IReadOnlyList<(string Student, string Problem)> Problems, LearningGain? Gain)
{
    /// <summary>Reads every submission's concept-check cells; a student's first readable sheet of each time counts (submissions in the order found).</summary>
    public static ConceptCheckClass Read(IReadOnlyList<Submission> submissions, ConceptBank bank)
    {
        var sheets = new List<ConceptSheet>();
        var problems = new List<(string, string)>();
        foreach (var submission in submissions)
        {
            if (submission.OpenOrNull() is not { } notebook)
            {
                continue;   // an unreadable file: its problem is in its grade
            }

            var (read, cellProblems) = ConceptAnswers.Read(submission.StudentId, notebook, bank.Questions);
            problems.AddRange(cellProblems.Select(p => (submission.StudentId, $"{Path.GetFileName(submission.Path)}: {p}")));
            foreach (var sheet in read)
            {
                if (sheets.Any(s => s.Student == sheet.Student && s.When == sheet.When))
                {
                    problems.Add((submission.StudentId, $"{Path.GetFileName(submission.Path)}: a second concept-check cell '{sheet.When}' (in another submission): the first one found counts."));
                }
                else
                {
                    sheets.Add(sheet);
                }
            }
        }

        return new(bank, sheets, problems, bank.HasKey && sheets.Count > 0 ? LearningGain.Of(sheets, bank) : null);
    }
}
