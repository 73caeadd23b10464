using Backprop.Course;
using Backprop.Course.Cli;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;
using Backprop.Course.Transforms;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// Per-student variants without the engine (issue 23, item 2): the roster's rows, the course secret, the seeds
/// (HMAC-SHA256, deterministic), the variant cell, and what the grader decides for an intact, deleted, edited or another
/// student's variant cell, an id not on the roster, and grading without the secret; a roster release's folders, byte for
/// byte what a release with each student's variant writes. The engine test: VariantGradingTests.
/// </summary>
public sealed class VariantRosterTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("backprop-variants-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, text);
        return path;
    }

    private VariantKey Key(string roster = "alice\nbob\ncarol\n") =>
        VariantKey.Read(WriteFile("roster.csv", roster), WriteFile("secret.txt", VariantGradingTests.Secret + "\n"));

    [Fact]
    public void The_roster_takes_the_first_column_skips_a_header_and_blank_rows_and_reads_quoted_fields()
    {
        var roster = Roster.Parse("Student ID,Name\r\nalice,\"Alice, A.\"\r\n\r\n\"bob\",\"Bob \"\"B\"\"\"\r\ncarol.c@uni.example\r\n", "roster.csv");

        Assert.Equal(["alice", "bob", "carol.c@uni.example"], roster.Ids);
    }

    [Theory]
    [InlineData("alice\n../eve\n", "roster.csv, line 2: the id '../eve' starts with a dot")]
    [InlineData("alice\nbob/../../x\n", "roster.csv, line 2: the id 'bob/../../x' holds '/'")]
    [InlineData("alice\n.git\n", "roster.csv, line 2: the id '.git' starts with a dot")]
    [InlineData("alice\nbob smith\n", "roster.csv, line 2: the id 'bob smith' holds '\\u0020'")]
    [InlineData("alice\nbob\nalice\n", "roster.csv, line 3: the id 'alice' is already on line 1.")]
    [InlineData("alice\nAlice\n", "roster.csv, line 2: the id 'Alice' is already on line 1 (ids that differ only by case are one student).")]
    [InlineData("alice\n\"bob\n", "roster.csv, line 2: a quoted field is not closed.")]
    [InlineData("id\n\n", "roster.csv: no student ids")]
    [InlineData("alice\n,Bob\n", "roster.csv, line 2: the id '' is empty")]
    public void A_bad_roster_row_is_named(string text, string expected)
    {
        var error = Assert.Throws<CourseException>(() => Roster.Parse(text, "roster.csv"));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_secret_is_refused_and_seeds_are_deterministic_and_differ_per_student_and_exercise()
    {
        var roster = WriteFile("roster.csv", "alice\nbob\n");
        var error = Assert.Throws<CourseException>(() => VariantKey.Read(roster, WriteFile("short.txt", "too short\n")));
        Assert.Contains("the course secret has 9 byte(s); it needs at least 16", error.Message, StringComparison.Ordinal);

        var key = Key();
        Assert.Equal(key.Seed("alice", "06.3"), Key().Seed("alice", "06.3"));
        Assert.NotEqual(key.Seed("alice", "06.3"), key.Seed("bob", "06.3"));
        Assert.NotEqual(key.Seed("alice", "06.3"), key.Seed("alice", "06.4"));
        // HMAC-SHA256(secret, "alice/06.3"): its first four bytes, big-endian, top bit cleared (computed with Python's hmac).
        Assert.Equal(605816851, key.Seed("alice", "06.3"));
        // grade --resume matches the roster and secret by a fingerprint that holds neither the secret nor its hex.
        Assert.Equal(key.Fingerprint, Key().Fingerprint);
        Assert.NotEqual(key.Fingerprint, Key("alice\nbob\n").Fingerprint);
        Assert.DoesNotContain(Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(VariantGradingTests.Secret)), key.Fingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public void The_variant_cell_parses_back_to_what_it_was_written_from_and_an_edit_does_not_parse()
    {
        var source = VariantCell.Source("alice", [("06.3", 605816851)]);

        Assert.Equal(("alice", "06.3", 605816851), VariantCell.Parse(source) is { } p ? (p.Student, p.Seeds[0].Exercise, p.Seeds[0].Seed) : default);
        Assert.Null(VariantCell.Parse(source.Replace("605816851", "605816852;Console.WriteLine(1)", StringComparison.Ordinal)));
        Assert.Null(VariantCell.Parse(source + "\nConsole.WriteLine(\"more code\");"));
        Assert.Null(VariantCell.Parse(source.Replace("\"alice\"", "\"../x\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_grader_writes_the_variant_from_the_gradebook_id_and_names_every_wrong_variant_cell()
    {
        var key = Key();
        var lesson = Lesson06();
        string[] exercises = ["06.3"];
        Assert.Equal(exercises, VariantCell.Exercises(lesson));
        NotebookDocument With(string? cell) => VariantCell.Insert(lesson, cell);
        var alices = key.Cell("alice", exercises);

        Assert.Equal((alices, (string?)null), VariantKey.Decide(key, With(alices), "alice", exercises, trustSubmission: false));
        var problems = new[]
        {
            VariantKey.Decide(key, With(key.Cell("bob", exercises)), "alice", exercises, false),
            VariantKey.Decide(key, With(alices.Replace(key.Seed("alice", "06.3").ToString(System.Globalization.CultureInfo.InvariantCulture), "12345", StringComparison.Ordinal)), "alice", exercises, false),
            VariantKey.Decide(key, lesson, "alice", exercises, false),
            VariantKey.Decide(key, With(alices), "mallory", exercises, false),
            VariantKey.Decide(null, With(alices), "alice", exercises, false),
        };

        Assert.Equal([alices, alices, alices, null, null], problems.Select(p => p.Cell));
        Assert.Collection(problems.Select(p => p.Problem),
            p => Assert.Equal("the notebook carries the variant of another student ('bob'), not the one drawn for 'alice': exercise 06.3 earns nothing", p),
            p => Assert.Equal("the variant cell was edited (its seeds are not the ones drawn for 'alice'): exercise 06.3 earns nothing", p),
            p => Assert.StartsWith("the variant cell (the code cell after the setup cells starting `// VARIANT`) was deleted", p, StringComparison.Ordinal),
            p => Assert.StartsWith("student 'mallory' is not on the roster", p, StringComparison.Ordinal),
            p => Assert.StartsWith("the notebook carries a per-student variant cell, but grade was not given the course roster and secret", p, StringComparison.Ordinal));
        // validate (the student's own run, no secret) runs an intact variant cell as written, and nothing for an edited one.
        Assert.Equal((alices, (string?)null), VariantKey.Decide(null, With(alices), null, exercises, trustSubmission: true));
        Assert.Null(VariantKey.Decide(null, With(alices + "\nSystem.IO.File.Delete(\"x\");"), null, exercises, trustSubmission: true).Cell);
        // A lesson without variants, or a notebook without a variant cell graded without a roster: as before.
        Assert.Equal(((string?)null, (string?)null), VariantKey.Decide(null, lesson, "alice", exercises, false));
        Assert.Equal(((string?)null, (string?)null), VariantKey.Decide(key, With(alices), "alice", [], false));
    }

    [Fact]
    public async Task Release_refuses_a_roster_with_an_unsafe_id_or_without_a_secret_and_writes_nothing()
    {
        var output = Path.Combine(_scratch, "release");
        var roster = WriteFile("roster.csv", "alice\n../../etc\n");
        var secret = WriteFile("secret.txt", VariantGradingTests.Secret);
        var stderr = new StringWriter();
        var root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);

        Assert.Equal(2, await Program.RunAsync(["release", "--output", output, "--roster", roster, "--secret-file", secret], root, TextWriter.Null, stderr));
        Assert.Contains("line 2: the id '../../etc' starts with a dot", stderr.ToString(), StringComparison.Ordinal);
        stderr.GetStringBuilder().Clear();
        Assert.NotEqual(0, await Program.RunAsync(["release", "--output", output, "--roster", roster], root, TextWriter.Null, stderr));
        Assert.Contains("--roster and --secret-file go together", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_roster_release_writes_each_student_what_a_release_with_the_students_variant_writes_and_the_same_other_lessons_to_all()
    {
        var root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);
        var (roster, secret) = (WriteFile("roster.csv", "alice\nbob\ncarol\n"), WriteFile("secret.txt", VariantGradingTests.Secret + "\n"));
        var key = VariantKey.Read(roster, secret);
        var output = Path.Combine(_scratch, "roster");
        string[] options = ["release", "--output", output, "--roster", roster, "--secret-file", secret];
        var stdout = new StringWriter();
        Assert.Equal(0, await Program.RunAsync(options, root, stdout, TextWriter.Null));

        // Byte for byte what one release with the student's variant cells writes (the code the roster release ran once per student).
        var folders = key.Roster.Ids.ToDictionary(id => id, id => FileBytes(Path.Combine(output, id)));
        foreach (var (student, files) in folders)
        {
            var single = Path.Combine(_scratch, "single", student);
            Release.Write(root, single, force: false, TextWriter.Null, notebook => RosterRelease.Personal(notebook, student, key));
            var expected = FileBytes(single);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), files.Keys.Order(StringComparer.Ordinal));
            Assert.All(expected, e => Assert.True(e.Value.AsSpan().SequenceEqual(files[e.Key]), $"{student}/{e.Key} differs from the single release's"));
        }

        // Only the lessons with variants (06) differ between students: notebook, its copy for validate, app.
        string[] variantFiles = ["notebooks/06-gradient-checking.ipynb", $"{Release.ChecksFolder}/06-gradient-checking.ipynb", "apps/06-gradient-checking.cs"];
        var differing = folders["alice"].Keys.Where(f => folders.Values.Any(other => !other[f].AsSpan().SequenceEqual(folders["alice"][f]))).Order(StringComparer.Ordinal);
        Assert.Equal(variantFiles.Order(StringComparer.Ordinal), differing);
        Assert.Contains("released carol/ (variant cells for carol)", stdout.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_scratch, ".*release-*", SearchOption.AllDirectories));

        // Released again with --force: a student's edited notebook is kept beside the fresh one, and the backup named.
        var notebook = Path.Combine(output, "bob", "notebooks", "06-gradient-checking.ipynb");
        File.WriteAllText(notebook, "my own work");
        stdout.GetStringBuilder().Clear();
        Assert.Equal(0, await Program.RunAsync([.. options, "--force"], root, stdout, TextWriter.Null));
        Assert.Equal(folders["bob"]["notebooks/06-gradient-checking.ipynb"], File.ReadAllBytes(notebook));
        var backup = Assert.Single(Directory.GetFiles(output, "*.bak-*", SearchOption.AllDirectories));
        Assert.Equal("my own work", File.ReadAllText(backup));
        Assert.Contains($"kept bob/notebooks/{Path.GetFileName(backup)}: bob/notebooks/06-gradient-checking.ipynb differed from the release", stdout.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Every file under <paramref name="folder"/>, by its path relative to it ('/'-separated).</summary>
    private static Dictionary<string, byte[]> FileBytes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes);

    [Theory]
    [InlineData("Kit::Variant.Use(\"alice\", \"06.3\", 605816851);")]
    [InlineData("var layer = Kit::Variant.Draw(\"06.3\", 1, 4, standard: 3);")]
    [InlineData("using V = Backprop.Coursework.Variant;\nV.Use(\"bob\", \"06.3\", 1);")]
    public void A_students_own_cell_may_not_set_or_read_a_variant(string cell)
    {
        var policy = new Course.Policy.CellPolicy(Course.KitImage.Read(Course.Kit.OutputDirectory(EngineFixture.Shared.Root)));

        Assert.Contains("check API", policy.Start().Check(cell) ?? "(allowed)", StringComparison.Ordinal);
    }

    private static NotebookDocument Lesson06() =>
        NotebookDocument.Load(Path.Combine(Course.Kit.RepositoryRoot(AppContext.BaseDirectory), "notebooks", "06-gradient-checking.ipynb"));
}
