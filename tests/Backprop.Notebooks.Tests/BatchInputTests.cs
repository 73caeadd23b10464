using Backprop.Course;
using Backprop.Course.Grading;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// What <c>grade</c> reads before any kernel runs (issue 18): notebook files that are not regular files, too large or with
/// too many cells are refused without being read whole; every .ipynb of a folder is graded or reported; student ids are
/// NFC-normalised and near-duplicates named; report text is cleaned of control characters and capped.
/// </summary>
public sealed class BatchInputTests : IDisposable
{
    private static readonly string s_root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);
    private readonly string _scratch = Directory.CreateTempSubdirectory("backprop-batch-input-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string Lesson00 => Path.Combine(s_root, "notebooks", "00-start-here.ipynb");

    /// <summary>Load in a task with a time limit: a FIFO would otherwise hang the test for ever.</summary>
    private static async Task<(string Message, long Allocated)> Refusal(string path)
    {
        var load = Task.Run(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<CourseException>(() => NotebookDocument.Load(path));
            return (e.Message, GC.GetAllocatedBytesForCurrentThread() - before);
        });
        return await load.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Load_refuses_what_is_not_a_regular_file_without_opening_it()
    {
        var fifo = Path.Combine(_scratch, "a.ipynb");
        BatchSafetyTests.MakeFifo(fifo);
        var zero = Path.Combine(_scratch, "b.ipynb");
        File.CreateSymbolicLink(zero, "/dev/zero");
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "f.ipynb")).FullName;
        var dangling = Path.Combine(_scratch, "gone.ipynb");
        File.CreateSymbolicLink(dangling, Path.Combine(_scratch, "nothing-here"));

        Assert.Equal("a.ipynb: not a regular file but a FIFO (named pipe); only regular files are read (it was not opened).", (await Refusal(fifo)).Message);
        Assert.Equal("b.ipynb: not a regular file but a character device (a link to /dev/zero); only regular files are read (it was not opened).", (await Refusal(zero)).Message);
        Assert.StartsWith("f.ipynb: not a regular file but a folder", (await Refusal(folder)).Message, StringComparison.Ordinal);
        Assert.Equal($"{dangling}: no such file (a link to {Path.Combine(_scratch, "nothing-here")}).", (await Refusal(dangling)).Message);
        // A link to a regular notebook is read like the notebook.
        var link = Path.Combine(_scratch, "link.ipynb");
        File.CreateSymbolicLink(link, Lesson00);
        Assert.Equal(NotebookDocument.Load(Lesson00).ToJson(), NotebookDocument.Load(link).ToJson());
    }

    [Fact]
    public async Task Load_refuses_a_file_over_20_MB_before_reading_it_and_too_many_cells_before_parsing_them()
    {
        // Sparse: 1.1 GB on paper, nothing on disk; refused by its size alone.
        var huge = Path.Combine(_scratch, "huge.ipynb");
        using (var file = File.Create(huge))
        {
            file.SetLength(1100L * 1024 * 1024);
        }

        var over = Path.Combine(_scratch, "over.ipynb");
        BatchSafetyTests.WriteHugeNotebook(over, NotebookDocument.MaxFileBytes + 1);
        var under = Path.Combine(_scratch, "under.ipynb");
        BatchSafetyTests.WriteHugeNotebook(under, NotebookDocument.MaxFileBytes);
        var many = Path.Combine(_scratch, "many.ipynb");
        File.WriteAllText(many, BatchSafetyTests.NotebookOfEmptyCells(200_000));
        var limit = Path.Combine(_scratch, "limit.ipynb");
        File.WriteAllText(limit, BatchSafetyTests.NotebookOfEmptyCells(NotebookDocument.MaxCells));

        var (hugeMessage, hugeAllocated) = await Refusal(huge);
        Assert.Equal("huge.ipynb: 1100 MB, over the limit of 20 MB for a notebook; it was not read.", hugeMessage);
        Assert.InRange(hugeAllocated, 0, 1024 * 1024);
        Assert.Equal("over.ipynb: 20 MB, over the limit of 20 MB for a notebook; it was not read.", (await Refusal(over)).Message);
        Assert.Single(NotebookDocument.Load(under).Cells);
        var (manyMessage, manyAllocated) = await Refusal(many);
        Assert.StartsWith("many.ipynb: too many cells — more than 1,000, over the limit of 1,000 for a notebook", manyMessage, StringComparison.Ordinal);
        Assert.InRange(manyAllocated, 0, 3 * new FileInfo(many).Length);   // the bytes and a little: no cell was built
        Assert.Equal(NotebookDocument.MaxCells, NotebookDocument.Load(limit).Cells.Count);
        Assert.StartsWith("x: too many cells — 1,001,", Assert.Throws<CourseException>(() => NotebookDocument.Parse(BatchSafetyTests.NotebookOfEmptyCells(1001), "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_grades_every_ipynb_in_any_case_and_names_what_a_leading_dot_hides()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "class")).FullName;
        foreach (var name in new[] { "ann.ipynb", "BEN.IPYNB", "cat.IpYnB", ".dot.ipynb", ".ipynb_checkpoints/ann-checkpoint.ipynb", "sub/.git/x.ipynb", "notes.txt", "sub/dan.ipynb" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, name))!);
            File.WriteAllText(Path.Combine(folder, name), "{}");
        }

        Directory.CreateSymbolicLink(Path.Combine(folder, "loop"), folder);   // a link to a folder is not followed (it would never end)

        var found = SubmissionFinder.Find([folder], StudentIdRule.File);

        Assert.Equal(["BEN", "ann", "cat", "dan"], found.Submissions.Select(s => s.StudentId));
        Assert.Equal([".dot.ipynb", ".ipynb_checkpoints/ann-checkpoint.ipynb", "sub/.git/x.ipynb"], found.Hidden.Select(h => Path.GetRelativePath(folder, h)));
        Assert.StartsWith("skipped 3 .ipynb file(s) hidden by a leading dot", found.HiddenLine, StringComparison.Ordinal);
        Assert.EndsWith("— name a file on the command line to grade it.", found.HiddenLine, StringComparison.Ordinal);
        // Named on the command line, a hidden file is graded.
        Assert.Equal([".dot"], SubmissionFinder.Find([Path.Combine(folder, ".dot.ipynb")], StudentIdRule.File).Submissions.Select(s => s.StudentId));
        var onlyHidden = Directory.CreateDirectory(Path.Combine(_scratch, "only-hidden", ".ipynb_checkpoints")).FullName;
        File.WriteAllText(Path.Combine(onlyHidden, "x.ipynb"), "{}");
        Assert.Contains("no .ipynb files in that folder (1 hidden by a leading dot", Assert.Throws<CourseException>(() => SubmissionFinder.Find([Path.GetDirectoryName(onlyHidden)!], StudentIdRule.File)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Student_ids_are_NFC_normalised_and_ids_equal_but_for_case_width_or_form_are_named()
    {
        Assert.True(UnicodeForms.Available, "ICU should be found on this machine");
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "ids")).FullName;
        // One student, typed composed (NFC) and decomposed (NFD), with two lessons.
        Directory.CreateDirectory(Path.Combine(folder, "caf\u00e9"));
        Directory.CreateDirectory(Path.Combine(folder, "cafe\u0301"));
        File.Copy(Lesson00, Path.Combine(folder, "caf\u00e9", "00.ipynb"));
        File.Copy(Path.Combine(s_root, "notebooks", "01-forward-propagation.ipynb"), Path.Combine(folder, "cafe\u0301", "01.ipynb"));
        foreach (var other in new[] { "Alice", "alice", "\uff41lice", "bob" })
        {
            Directory.CreateDirectory(Path.Combine(folder, other));
            File.WriteAllText(Path.Combine(folder, other, "x.ipynb"), "{}");
        }

        var found = SubmissionFinder.Find([folder], StudentIdRule.Parse("folder"));

        Assert.Equal(["caf\u00e9", "caf\u00e9"], found.Submissions.Where(s => s.StudentId.StartsWith("caf", StringComparison.Ordinal)).Select(s => s.StudentId));
        var groups = SubmissionFinder.NearDuplicates(found.Submissions.Select(s => s.StudentId));
        Assert.Equal(["Alice", "alice", "\uff41lice"], Assert.Single(groups));
        Assert.Equal("student ids 'Alice', 'alice', '\uff41lice' differ only by case, width or Unicode form: graded as 3 students; if they are one, rename the files or folders (or choose another --student-id).", SubmissionFinder.NearDuplicateWarning(groups[0]));
        Assert.Empty(SubmissionFinder.NearDuplicates(["bob", "bo", "b\u00f6b"]));
        // One student, two submissions of one lesson, whichever form each id was typed in: refused, as for any one student.
        File.Copy(Lesson00, Path.Combine(folder, "cafe\u0301", "00-again.ipynb"));
        Assert.Contains("student 'caf\u00e9' has 2 submissions of lesson 00", Assert.Throws<CourseException>(() => SubmissionFinder.Find([folder], StudentIdRule.Parse("folder"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_submission_is_read_once_so_its_hash_and_the_notebook_graded_are_of_the_same_bytes_whatever_the_file_becomes()
    {
        var path = Path.Combine(_scratch, "ann.ipynb");
        File.Copy(Lesson00, path);
        var read = File.ReadAllBytes(path);

        var file = Assert.Single(SubmissionFinder.Find([path], StudentIdRule.File).Submissions).File!;
        File.WriteAllText(path, File.ReadAllText(Path.Combine(s_root, "notebooks", "01-forward-propagation.ipynb")));   // changed after it was found

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(read)), file.Sha256);
        Assert.Equal("00", Grader.LessonOf(file.Open()));
        Assert.Equal(NotebookDocument.Load(Lesson00).ToJson(), file.Open().ToJson());
    }

    [Fact]
    public void A_submission_that_cannot_be_read_has_no_hash_and_is_refused_when_graded_with_the_reason()
    {
        var fifo = Path.Combine(_scratch, "a.ipynb");
        BatchSafetyTests.MakeFifo(fifo);

        var file = Assert.Single(SubmissionFinder.Find([fifo], StudentIdRule.File).Submissions).File!;

        Assert.Null(file.Sha256);
        Assert.Equal("a.ipynb: not a regular file but a FIFO (named pipe); only regular files are read (it was not opened).", Assert.Throws<CourseException>(file.Open).Message);
    }

    [Fact]
    public void The_gradebook_has_one_row_for_one_student_typed_in_two_Unicode_forms()
    {
        var nfc = new Submission("/x/caf\u00e9/00.ipynb", "/x", StudentIdRule.Parse("folder").IdOf("/x/caf\u00e9/00.ipynb", "/x"));
        var nfd = new Submission("/x/cafe\u0301/01.ipynb", "/x", StudentIdRule.Parse("folder").IdOf("/x/cafe\u0301/01.ipynb", "/x"));
        var path = Path.Combine(_scratch, "gradebook.csv");

        ClassGrading.WriteGradebook(path, [(nfc, new SubmissionGrade(nfc.Path, "00", [new("00.1", 1, 1, true, "ok")], 1, 1, [])), (nfd, new SubmissionGrade(nfd.Path, "01", [new("01.2", 2, 2, true, "ok")], 2, 2, []))]);

        var rows = File.ReadAllLines(path);
        Assert.Equal(2, rows.Length);
        Assert.Equal("caf\u00e9,,,caf\u00e9,,1,2,3", rows[1]);
    }

    [Theory]
    [InlineData("plain text\nline two\ttab", "plain text\nline two\ttab")]
    [InlineData("\u001b[31mred\u001b[0m", "\\u001b[31mred\\u001b[0m")]
    [InlineData("over\rwrite", "over\\u000dwrite")]
    [InlineData("crlf\r\nline", "crlf\nline")]
    [InlineData("bell\u0007 c1\u009b del\u007f", "bell\\u0007 c1\\u009b del\\u007f")]
    [InlineData("abc\u202edcba", "abc\\u202edcba")]
    public void Report_text_shows_control_characters_escaped(string text, string shown) => Assert.Equal(shown, ReportText.Clean(text));

    [Fact]
    public void Report_text_is_capped_with_a_note_of_what_was_cut_never_half_a_character()
    {
        var five = new string('x', 5_000_000);
        var clean = ReportText.Clean(five);
        Assert.Equal(new string('x', ReportText.MessageCap) + " … [4,998,000 more characters not shown]", clean);
        var emoji = new string('x', ReportText.MessageCap - 1) + "😀tail";
        Assert.Equal(new string('x', ReportText.MessageCap - 1) + " … [6 more characters not shown]", ReportText.Clean(emoji));
        Assert.Equal("a\\u000ab", ReportText.OneLine("a\nb"));
        // Property: whatever the text, nothing below U+0020 but LF and tab survives, and the length stays near the cap.
        var random = new Random(18);
        for (var n = 0; n < 200; n++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 5000)).Select(_ => (char)random.Next(0, 0x300))]);
            var cleaned = ReportText.Clean(text);
            Assert.DoesNotContain(cleaned, c => char.IsControl(c) && c is not '\n' and not '\t');
            Assert.True(cleaned.Length <= ReportText.MessageCap + 64, $"{cleaned.Length}");
        }

        var grade = new SubmissionGrade("a\u001b.ipynb", "01", [new("01.2", 1, 0, false, "\u001b[2J" + five)], 0, 1, ["x\u001b]0;pwned\u0007"]).Cleaned();
        Assert.Equal("a\\u001b.ipynb", grade.Notebook);
        Assert.StartsWith("\\u001b[2Jxxx", grade.Exercises[0].Message, StringComparison.Ordinal);
        Assert.True(grade.Exercises[0].Message.Length < 2100);
        Assert.Equal("x\\u001b]0;pwned\\u0007", grade.Problems[0]);
    }

    [Fact]
    public void Feedback_shows_a_hostile_id_and_outputs_without_control_characters()
    {
        var submission = new Submission("/x/e\u001b[31mve/00.ipynb", "/x", "e\u001b[31mve");
        var graded = new GradedSubmission(new SubmissionGrade("/x", "00", [], 0, 0, []), [new StudentCell(1, null, ["\u001b[2Jout"], null)], []).Cleaned();

        var html = Feedback.Html(submission, graded, new HashSet<string>());

        Assert.DoesNotContain('\u001b', html);
        Assert.Contains("e\\u001b[31mve", html, StringComparison.Ordinal);
        Assert.Contains("\\u001b[2Jout", html, StringComparison.Ordinal);
    }
}
