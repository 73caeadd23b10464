using System.Globalization;
using System.Text;

namespace Backprop.Course.Grading;

/// <summary>The exercise analysis as an offline page (<see cref="ReportPage"/>: no script, no link; every id, message and problem escaped).</summary>
internal static class AnalysisPage
{
    /// <summary>The most failure groups shown per exercise (the JSON has them all).</summary>
    private const int GroupsShown = 6;

    /// <summary>The most student ids listed per failure group.</summary>
    private const int IdsShown = 12;

    private static string E(string text) => ReportPage.Encode(text);

    private static string Id(string id) => E(ReportText.OneLine(id, 200));

    private static string F(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Html(ExerciseAnalysis analysis, ConceptCheckClass concepts)
    {
        var html = ReportPage.Start("Where the class stumbles, and what it learnt", """
            .bar { display: inline-block; height: .8em; background: #4a7bb7; vertical-align: middle; }
            .low { color: #a11; font-weight: bold; } code { white-space: pre-wrap; }
            """);
        html.Append("""
            <p>Each student counts once per exercise, by their best submission (as the gradebook): passed, else failed, else not
            attempted (the release's stub still in place). Failing check messages are grouped with their numbers masked
            (<code>#</code>), so the same mistake made with other numbers is one group; what the numbers say about the mistake is
            kept in brackets (<code>[got −expected]</code>: a sign flip; <code>[got larger, same sign]</code>; <code>[got one column
            fewer]</code>; …). Different mistakes whose messages say the same are one group: the message is all the grader sees.</p>

            """);
        AppendExercises(html, analysis);
        AppendLessons(html, analysis);
        AppendConceptCheck(html, concepts);
        return html.Append("</body></html>\n").ToString();
    }

    private static void AppendExercises(StringBuilder html, ExerciseAnalysis analysis)
    {
        html.Append("<h2>Exercises</h2>\n<table><tr><th>exercise</th><th>students</th><th>attempted</th><th>passed</th><th>failed</th><th>passed of attempted</th></tr>\n");
        foreach (var e in analysis.Exercises)
        {
            var rate = e.Attempted == 0 ? "—" : $"{F(100.0 * e.Passed / e.Attempted, "0")} %";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Id(e.Id)}</td><td>{e.Students}</td><td>{e.Attempted}</td><td>{e.Passed}</td><td>{e.Failed}</td><td>{rate}</td></tr>\n");
        }

        html.Append("</table>\n");
        AppendVariants(html, analysis);
        foreach (var e in analysis.Exercises.Where(e => e.Failures.Count > 0))
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>Exercise {Id(e.Id)}: {e.Failed} failed, {e.Failures.Count} kind(s) of failure</h3>\n");
            html.Append("<table><tr><th>students</th><th>the message, numbers masked</th><th>one of them as it was</th></tr>\n");
            foreach (var f in e.Failures.Take(GroupsShown))
            {
                var ids = string.Join(", ", f.Students.Take(IdsShown).Select(Id)) + (f.Students.Count > IdsShown ? $", … ({f.Students.Count - IdsShown} more)" : "");
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{f.Students.Count}<br><small>{ids}</small></td><td><code>{E(f.Pattern)}</code></td><td><pre>{E(f.Example)}</pre></td></tr>\n");
            }

            html.Append("</table>\n");
            if (e.Failures.Count > GroupsShown)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>{e.Failures.Count - GroupsShown} more kind(s) of failure: see the JSON report.</p>\n");
            }
        }
    }

    /// <summary>For each exercise with per-student variants, one table per parameter: how the students given each value did.</summary>
    private static void AppendVariants(StringBuilder html, ExerciseAnalysis analysis)
    {
        foreach (var e in analysis.Exercises.Where(e => e.Variants.Count > 0))
        {
            foreach (var parameter in e.Variants.GroupBy(v => v.Parameter, StringComparer.Ordinal))
            {
                var without = e.Students - parameter.Sum(v => v.Students);
                html.Append(CultureInfo.InvariantCulture,
                    $"<h3>Exercise {Id(e.Id)} per variant: <code>{E(parameter.Key)}</code></h3>\n<p>The students grouped by the value their variant drew (worked out by the grader from each student's seed; a value no student drew has no row){(without > 0 ? $"; {without} student(s) had no variant (not on the roster)" : "")}.</p>\n");
                html.Append("<table><tr><th>value</th><th>students</th><th>attempted</th><th>passed</th><th>failed</th><th>passed of attempted</th></tr>\n");
                foreach (var v in parameter)
                {
                    var rate = v.Attempted == 0 ? "—" : $"{F(100.0 * v.Passed / v.Attempted, "0")} %";
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td>{v.Value}</td><td>{v.Students}</td><td>{v.Attempted}</td><td>{v.Passed}</td><td>{v.Failed}</td><td>{rate}</td></tr>\n");
                }

                html.Append("</table>\n");
            }
        }
    }

    private static void AppendLessons(StringBuilder html, ExerciseAnalysis analysis)
    {
        html.Append("<h2>Points per lesson</h2>\n");
        foreach (var lesson in analysis.Lessons)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<h3>Lesson {Id(lesson.Id)}: {lesson.Students} student(s), mean {F(lesson.Mean)} and median {F(lesson.Median)} of {lesson.Possible} points</h3>\n<table><tr><th>points</th><th>students</th><th></th></tr>\n");
            var most = Math.Max(1, lesson.StudentsWithPoints.DefaultIfEmpty(0).Max());
            for (var points = 0; points < lesson.StudentsWithPoints.Count; points++)
            {
                var count = lesson.StudentsWithPoints[points];
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{points}</td><td>{count}</td><td><span class=\"bar\" style=\"width: {F(12.0 * count / most, "0.##")}em\"></span></td></tr>\n");
            }

            html.Append("</table>\n");
        }
    }

    private static void AppendConceptCheck(StringBuilder html, ConceptCheckClass concepts)
    {
        html.Append(CultureInfo.InvariantCulture, $"""
            <h2>Concept check: the learning gain</h2>
            <p>{concepts.Bank.Questions.Count} questions on the lecture's ideas, answered at the end of lesson 00 (before) and at the end of
            the capstone (after), read from each notebook's answer cell (its source, never its output); ungraded. The gain is Hake's
            (1998) normalised gain g = (post − pre) / (100 − pre), pre and post the percentages answered correctly: of what a student
            could still gain, the share gained. The class's ⟨g⟩ is computed, as Hake does, from the class's average pre and post
            percentages of the students who took both; each student's g from their own. Where pre = 100 there is nothing left to gain:
            g is undefined (—), and so is ⟨g⟩ when the class's average before is 100. For scale, Hake found ⟨g⟩ ≈ 0.23 for traditional
            and ≈ 0.48 for interactive-engagement courses. Sheets: {concepts.Sheets.Count(s => s.When == "before")} before,
            {concepts.Sheets.Count(s => s.When == "after")} after.</p>

            """);
        if (!concepts.Bank.HasKey)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"low\">No key ({ConceptBank.KeyFile} in the lessons folder graded against): the answers were read and checked for form, not scored.</p>\n");
        }
        else if (concepts.Gain is { ClassPre: { } pre, ClassPost: { } post } gain)
        {
            var students = gain.Students.Count(s => s.Pre is not null && s.Post is not null);
            html.Append(CultureInfo.InvariantCulture,
                $"<p><strong>Class ⟨g⟩ = {(gain.ClassGain is { } g ? F(g, "0.00") : "— (the class's average before is 100 %)")}</strong> over {students} student(s) with both sheets: {F(pre, "0.0")} % before, {F(post, "0.0")} % after.</p>\n");
            html.Append("<h3>The questions that moved least</h3>\n<table><tr><th>question</th><th>before</th><th>after</th><th>change (points)</th></tr>\n");
            foreach (var (q, i) in gain.Questions.Select((q, i) => (q, i)))
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr{(i < 3 ? " class=\"low\"" : "")}><td>{q.Number}: {E(concepts.Bank.Questions[q.Number - 1].Text)}</td><td>{F(q.Pre, "0")} %</td><td>{F(q.Post, "0")} %</td><td>{F(q.Change, "+0;−0;0")}</td></tr>\n");
            }

            html.Append("</table>\n");
        }
        else
        {
            html.Append("<p>No student has both a readable 'before' and a readable 'after' sheet: no class gain.</p>\n");
        }

        AppendStudents(html, concepts.Gain);
        if (concepts.Problems.Count > 0)
        {
            html.Append("<h3>Answer cells that could not be read (as written, nothing changed)</h3>\n<ul>\n");
            foreach (var (student, problem) in concepts.Problems)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Id(student)}: {E(problem)}</li>\n");
            }

            html.Append("</ul>\n");
        }
    }

    /// <summary>Each student's percentages before and after, and their g.</summary>
    private static void AppendStudents(StringBuilder html, LearningGain? gain)
    {
        if (gain is { } each && each.Students.Count > 0)
        {
            html.Append("<h3>Each student</h3>\n<table><tr><th>student</th><th>before</th><th>after</th><th>g</th></tr>\n");
            foreach (var s in each.Students)
            {
                string P(double? p) => p is { } v ? $"{F(v, "0")} %" : "—";
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Id(s.Id)}</td><td>{P(s.Pre)}</td><td>{P(s.Post)}</td><td>{(s.Gain is { } g ? F(g, "0.00") : "—")}</td></tr>\n");
            }

            html.Append("</table>\n");
        }
    }
}
