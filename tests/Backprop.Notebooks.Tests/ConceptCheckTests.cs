using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The concept check (issue 23, item 5) without an engine run: the gain of a small made-up class equals Hake's formula,
/// the course's bank and key agree, and hostile answer cells (code, huge strings, wrong counts, HTML) give named problems,
/// escaped output and no change to any file.
/// </summary>
public sealed class ConceptCheckTests
{
    private static readonly string s_root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);

    /// <summary>Four questions: three choices (keys b, a, d) and a number (key 0.25, within 1 %).</summary>
    private static readonly ConceptBank s_bank = ConceptBank.Of(
        [
            new ConceptQuestion("q1", true, "one?", ["x", "y", "z"]),
            new ConceptQuestion("q2", true, "two?", ["x", "y"]),
            new ConceptQuestion("q3", true, "three?", ["w", "x", "y", "z"]),
            new ConceptQuestion("q4", false, "four?", []),
        ],
        ["b", "a", "d", "0.25"]);

    private static ConceptSheet Sheet(string student, string when, params string?[] answers) => new(student, when, answers);

    [Fact]
    public void The_gain_of_a_small_made_up_class_is_Hake_s_formula()
    {
        var gain = LearningGain.Of(
        [
            Sheet("ann", "before", "b", "c", null, "1/4"),    // 50 %
            Sheet("ann", "after", "b", "a", "d", "0.25"),     // 100 %
            Sheet("bob", "before", "a", "a", null, null),     // 25 %
            Sheet("bob", "after", "b", "a", "a", "0.3"),      // 50 % (0.3 is 20 % off 0.25)
            Sheet("cat", "before", "b", "a", "d", "0.2501"),  // 100 %: nothing left to gain
            Sheet("cat", "after", "b", "a", "d", null),       // 75 %
            Sheet("dan", "before", "b", null, null, null),    // no 'after': not in the class's gain
        ], s_bank);

        static double G(double pre, double post) => (post - pre) / (100 - pre);
        var students = gain.Students.ToDictionary(s => s.Id);
        Assert.Equal((50.0, 100.0, G(50, 100)), (students["ann"].Pre, students["ann"].Post, students["ann"].Gain));
        Assert.Equal(G(25, 50), students["bob"].Gain!.Value, 12);
        Assert.Equal((100.0, 75.0, (double?)null), (students["cat"].Pre, students["cat"].Post, students["cat"].Gain));
        Assert.Equal((25.0, (double?)null, (double?)null), (students["dan"].Pre, students["dan"].Post, students["dan"].Gain));
        var (pre, post) = ((50 + 25 + 100) / 3.0, (100 + 50 + 75) / 3.0);
        Assert.Equal(pre, gain.ClassPre!.Value, 12);
        Assert.Equal(post, gain.ClassPost!.Value, 12);
        Assert.Equal(G(pre, post), gain.ClassGain!.Value, 12);
        Assert.Equal(0.4, gain.ClassGain!.Value, 12);
        // q4 moved least (2 of 3 right before, 1 after); q1 to q3 each gained one student of three.
        Assert.Equal([4, 1, 2, 3], gain.Questions.Select(q => q.Number));
        Assert.Equal(-100.0 / 3, gain.Questions[0].Change, 9);
    }

    [Fact]
    public void A_class_that_knew_everything_before_has_no_class_gain_rather_than_a_division_by_zero()
    {
        var gain = LearningGain.Of([Sheet("ann", "before", "b", "a", "d", "0.25"), Sheet("ann", "after", "b", "a", "d", "0.25")], s_bank);

        Assert.Equal(100.0, gain.ClassPre);
        Assert.Null(gain.ClassGain);
        Assert.Null(LearningGain.Normalised(100, 100));
    }

    [Fact]
    public void The_course_s_bank_has_eight_to_twelve_questions_and_its_key_beside_the_lessons_answers_every_one()
    {
        var bank = ConceptBank.Load(s_root, Path.Combine(s_root, "notebooks"));

        Assert.True(bank.HasKey);
        Assert.InRange(bank.Questions.Count, 8, 12);
        Assert.Contains(bank.Questions, q => !q.IsChoice);
        // Not all the same letter: a student who answers "a" everywhere does not score.
        var letters = bank.Questions.Select((q, i) => q.IsChoice ? Enumerable.Range(0, q.Choices.Count).Select(c => ((char)('a' + c)).ToString()).Single(l => bank.IsCorrect(i, l)) : "#").ToList();
        Assert.True(letters.Where(l => l != "#").Distinct().Count() >= 3, string.Join(" ", letters));
    }

    /// <summary>A lesson-00-like notebook with the given code cells.</summary>
    private static NotebookDocument Notebook(params string[] cells) => NotebookDocument.Parse(new JsonObject
    {
        ["cells"] = new JsonArray([.. cells.Select(c => new JsonObject { ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["source"] = NotebookCell.SourceLines(c), ["outputs"] = new JsonArray(), ["execution_count"] = null })]),
        ["metadata"] = new JsonObject { ["backprop"] = new JsonObject { ["lesson"] = "00" } },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString(), "00-start-here.ipynb");

    private static string Cell(string when, params string[] answers) =>
        $"// CONCEPT CHECK {when} — not graded.\n// Answer each question on its line.\nConceptCheck.Answers(\"{when}\", \"\"\"\n{string.Join("\n", answers)}\n\"\"\");";

    [Fact]
    public void A_well_formed_cell_is_read_as_data_and_an_unreadable_answer_counts_as_not_answered()
    {
        var (sheets, problems) = ConceptAnswers.Read("ann", Notebook("var x = 1;", Cell("before", "1: B", "2:  ?", "3: <b>d</b>", "4: −1/4")), s_bank.Questions);

        var sheet = Assert.Single(sheets);
        Assert.Equal(["b", null, null, "−1/4"], sheet.Answers);
        Assert.Equal(-0.25, ConceptAnswers.Number("−1/4"));
        Assert.Contains(problems, p => p.Contains("question 3: '<b>d</b>' is not one of the letters a to d", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("code after the answers", "holds something after its answers")]
    [InlineData("code before the answers", "does not hold the line ConceptCheck.Answers(\"before\"")]
    [InlineData("three lines for four questions", "must have 4 answer lines")]
    [InlineData("lines out of order", "must have 4 answer lines")]
    [InlineData("a huge cell", "characters long (an answer cell is at most")]
    [InlineData("two cells", "2 concept-check cells 'before' in one notebook")]
    [InlineData("another time", "not with '// CONCEPT CHECK before' or '// CONCEPT CHECK after'")]
    public void A_hostile_answer_cell_is_not_read_and_gets_a_named_problem(string attack, string problem)
    {
        var good = Cell("before", "1: b", "2: a", "3: d", "4: 0.25");
        string[] cells = attack switch
        {
            "code after the answers" => [good + "\nSystem.IO.File.Delete(\"x\");"],
            "code before the answers" => ["// CONCEPT CHECK before\nvar answers = \"1: b\";\n" + good["// CONCEPT CHECK before — not graded.\n".Length..]],
            "three lines for four questions" => [Cell("before", "1: b", "2: a", "3: d")],
            "lines out of order" => [Cell("before", "1: b", "3: d", "2: a", "4: 0.25")],
            "a huge cell" => [Cell("before", "1: b", "2: a", "3: d", "4: " + new string('9', 1_000_000))],
            "two cells" => [good, good],
            "another time" => [good.Replace("CONCEPT CHECK before", "CONCEPT CHECK during", StringComparison.Ordinal)],
            _ => throw new ArgumentException(attack),
        };

        var (sheets, problems) = ConceptAnswers.Read("eve", Notebook(cells), s_bank.Questions);

        Assert.Empty(sheets);
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
        Assert.All(problems, p => Assert.True(p.Length < 1_000, p[..Math.Min(p.Length, 200)]));
    }

    [Fact]
    public void A_long_answer_in_a_cell_of_normal_size_counts_as_not_answered_and_the_others_are_read()
    {
        var (sheets, problems) = ConceptAnswers.Read("eve", Notebook(Cell("after", "1: b", "2: " + new string('a', 500), "3: d", "4: 1e400")), s_bank.Questions);

        Assert.Equal(["b", null, "d", null], Assert.Single(sheets).Answers);
        Assert.Contains(problems, p => p.Contains("question 2: the answer is 500 characters long", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("question 4: '1e400' is not a number", StringComparison.Ordinal));
    }

    [Fact]
    public void The_analysis_reads_submissions_without_changing_them_and_escapes_what_they_hold()
    {
        var folder = Directory.CreateTempSubdirectory("concept-check-").FullName;
        try
        {
            File.Copy(Path.Combine(s_root, "notebooks", ConceptBank.KeyFile), Path.Combine(folder, ConceptBank.KeyFile));
            var questions = ConceptBank.Load(s_root, folder).Questions.Count;
            var graded = new List<(Submission, SubmissionGrade)>();
            foreach (var (student, cell) in new[]
            {
                ("ann", Cell("before", [.. Enumerable.Range(1, questions).Select(n => $"{n}: a")])),
                ("ann", Cell("after", [.. Enumerable.Range(1, questions).Select(n => $"{n}: c")])),
                ("<script>alert(1)</script>", Cell("before", [.. Enumerable.Range(1, questions).Select(n => $"{n}: <script>alert({n})</script>")])),
            })
            {
                var path = Path.Combine(folder, $"{graded.Count}.ipynb");
                Notebook(cell).Save(path);
                graded.Add((new Submission(path, folder, student), new SubmissionGrade(path, "00", [], 0, 0, [])));
            }

            var before = graded.Select(g => SHA256.HashData(File.ReadAllBytes(g.Item1.Path))).ToList();
            var html = Path.Combine(folder, "analysis.html");
            var (_, concepts) = AnalysisReport.Write(html, graded, s_root, folder);

            Assert.Equal(before, graded.Select(g => SHA256.HashData(File.ReadAllBytes(g.Item1.Path))));
            Assert.Equal(3, concepts.Sheets.Count);
            var page = File.ReadAllText(html);
            Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
            var json = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(html, ".json")))!["concept_check"]!;
            Assert.Equal(questions, json["problems"]!.AsArray().Count(p => p!["student"]!.GetValue<string>() == "<script>alert(1)</script>"));   // each of the hostile student's answers, named
            Assert.Equal(1, json["class"]!["students"]!.GetValue<int>());   // ann: before and after
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
