using System.Text.Json.Nodes;

namespace Backprop.Course.Grading;

/// <summary>
/// <c>grade --analysis REPORT.html</c>: where the class stumbles (<see cref="ExerciseAnalysis"/>) and what it learnt
/// (<see cref="ConceptCheckClass"/>, <see cref="LearningGain"/>), as an offline page (<see cref="AnalysisPage"/>) and the same
/// as REPORT.json beside it. The JSON is one object, <c>"schema": "backprop-analysis/v1"</c>, each exercise an object of
/// named fields; an exercise with per-student variants graded with a roster has one more, its pass rate per variant parameter
/// (<c>"variants": [{ "parameter": "Draw 1–4", "from", "to", "value", "students", "attempted", "passed", "failed" }]</c>).
/// </summary>
internal static class AnalysisReport
{
    public const string Schema = "backprop-analysis/v1";

    /// <summary>Writes REPORT.html and REPORT.json for the grades of <paramref name="graded"/>; the concept check's questions come from the kit at <paramref name="repositoryRoot"/>, its key from <paramref name="lessonsFolder"/>.</summary>
    /// <exception cref="CourseException">The concept check's bank or key is malformed (a lecturer's file, not a submission).</exception>
    public static (ExerciseAnalysis Exercises, ConceptCheckClass Concepts) Write(string htmlPath, IReadOnlyList<(Submission Submission, SubmissionGrade Grade)> graded, string repositoryRoot, string lessonsFolder)
    {
        var exercises = ExerciseAnalysis.Of([.. graded.Select(g => (g.Submission.StudentId, g.Grade))]);
        var concepts = ConceptCheckClass.Read([.. graded.Select(g => g.Submission)], ConceptBank.Load(repositoryRoot, lessonsFolder));
        Files.WriteAtomically(Path.ChangeExtension(htmlPath, ".json"), Json(exercises, concepts).ToJsonString(GradeReport.Options) + "\n");
        Files.WriteAtomically(htmlPath, AnalysisPage.Html(exercises, concepts));
        return (exercises, concepts);
    }

    /// <summary>The report as JSON: ids, messages and problems through <see cref="ReportText.Clean"/>; percentages and gains rounded to 4 places, null where undefined.</summary>
    public static JsonObject Json(ExerciseAnalysis analysis, ConceptCheckClass concepts) => new()
    {
        ["schema"] = Schema,
        ["exercises"] = new JsonArray([.. analysis.Exercises.Select(ExerciseJson)]),
        ["lessons"] = new JsonArray([.. analysis.Lessons.Select(l => new JsonObject
        {
            ["lesson"] = ReportText.OneLine(l.Id),
            ["possible"] = l.Possible,
            ["students"] = l.Students,
            ["mean"] = Math.Round(l.Mean, 4),
            ["median"] = l.Median,
            ["students_with_points"] = new JsonArray([.. l.StudentsWithPoints.Select(n => (JsonNode)n)]),
        })]),
        ["concept_check"] = ConceptJson(concepts),
    };

    private static JsonNode ExerciseJson(ExerciseAnalysis.Exercise e)
    {
        var json = new JsonObject
        {
            ["id"] = ReportText.OneLine(e.Id),
            ["lesson"] = ReportText.OneLine(e.Lesson),
            ["points"] = e.Points,
            ["students"] = e.Students,
            ["attempted"] = e.Attempted,
            ["passed"] = e.Passed,
            ["failed"] = e.Failed,
            ["failures"] = new JsonArray([.. e.Failures.Select(f => new JsonObject
            {
                ["pattern"] = ReportText.Clean(f.Pattern),
                ["count"] = f.Students.Count,
                ["students"] = new JsonArray([.. f.Students.Select(s => (JsonNode)ReportText.OneLine(s, 200))]),
                ["example"] = ReportText.Clean(f.Example),
            })]),
        };
        if (e.Variants.Count > 0)
        {
            json["variants"] = new JsonArray([.. e.Variants.Select(v => new JsonObject
            {
                ["parameter"] = v.Parameter,
                ["from"] = v.From,
                ["to"] = v.To,
                ["value"] = v.Value,
                ["students"] = v.Students,
                ["attempted"] = v.Attempted,
                ["passed"] = v.Passed,
                ["failed"] = v.Failed,
            })]);
        }

        return json;
    }

    private static JsonObject ConceptJson(ConceptCheckClass concepts)
    {
        static JsonNode? Rounded(double? value) => value is { } v ? Math.Round(v, 4) : null;
        var gain = concepts.Gain;
        return new()
        {
            ["questions"] = concepts.Bank.Questions.Count,
            ["key"] = concepts.Bank.HasKey,
            ["sheets"] = new JsonObject { ["before"] = concepts.Sheets.Count(s => s.When == "before"), ["after"] = concepts.Sheets.Count(s => s.When == "after") },
            ["gain"] = "Hake's normalised gain g = (post − pre) / (100 − pre), pre and post in percent correct; class: from the class's average pre and post of the students with both; null where pre = 100",
            ["class"] = gain is null ? null : new JsonObject
            {
                ["students"] = gain.Students.Count(s => s.Pre is not null && s.Post is not null),
                ["pre"] = Rounded(gain.ClassPre),
                ["post"] = Rounded(gain.ClassPost),
                ["g"] = Rounded(gain.ClassGain),
            },
            ["students"] = new JsonArray([.. (gain?.Students ?? []).Select(s => new JsonObject
            {
                ["student"] = ReportText.OneLine(s.Id, 200),
                ["pre"] = Rounded(s.Pre),
                ["post"] = Rounded(s.Post),
                ["g"] = Rounded(s.Gain),
            })]),
            ["questions_moved_least_first"] = new JsonArray([.. (gain?.Questions ?? []).Select(q => new JsonObject
            {
                ["question"] = q.Number,
                ["id"] = q.Id,
                ["pre"] = Rounded(q.Pre),
                ["post"] = Rounded(q.Post),
                ["change"] = Rounded(q.Change),
            })]),
            ["problems"] = new JsonArray([.. concepts.Problems.Select(p => new JsonObject
            {
                ["student"] = ReportText.OneLine(p.Student, 200),
                ["problem"] = ReportText.Clean(p.Problem),
            })]),
        };
    }
}
