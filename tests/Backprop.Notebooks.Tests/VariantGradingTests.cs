using System.Text.Json.Nodes;
using Backprop.Course.Cli;
using Backprop.Course.Notebooks;
using Backprop.Course.Transforms;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// Per-student variants end to end (issue 23, item 2): <c>release --roster --secret-file</c> for three students gives each a
/// different broken layer in exercise 06.3 and holds the secret nowhere; one <c>grade --roster --secret-file</c> of a small
/// folder gives each student's correct notebook full marks, a notebook handed in under another student's id and one whose
/// seed was edited 0 for 06.3 with a named problem (the rest of the lesson graded as usual); its exercise analysis counts 06.3's
/// students per broken layer drawn (issue 23, item 4).
/// </summary>
[Collection("grader")]
public sealed class VariantGradingTests
{
    /// <summary>A course secret for the tests, chosen so that alice, bob and carol draw layers 4, 1 and 2 (none the lesson's 3), and dave draws alice's 4.</summary>
    internal const string Secret = "course-secret-for-tests-030";

    private const string Lesson06 = "06-gradient-checking.ipynb";

    private static readonly Lazy<Task<Graded>> s_graded = new(() => Task.Run(ReleaseAndGradeAsync));

    private sealed record Graded(string Release, int ReleaseExit, string ReleaseOutput, int GradeExit, string GradeStderr, Dictionary<string, JsonNode> Report, VariantKey Key, JsonNode? Analysis);

    /// <summary>The layer <c>Kit::Variant.Draw("06.3", 1, 4, standard: 3)</c> gives for a seed.</summary>
    private static int Layer(int seed) => 1 + (seed % 4);

    private static async Task<Graded> ReleaseAndGradeAsync()
    {
        var kit = EngineFixture.Shared;
        var folder = Directory.CreateDirectory(Path.Combine(kit.Scratch, "variants")).FullName;
        var secret = Path.Combine(folder, "secret.txt");
        File.WriteAllText(secret, Secret + "\n");
        var roster = Path.Combine(folder, "roster.csv");
        File.WriteAllText(roster, "id,name\nalice,Alice\nbob,Bob\ncarol,Carol\n");
        var release = Path.Combine(folder, "release");
        var output = new StringWriter();
        var releaseExit = await Program.RunAsync(["release", "--output", release, "--roster", roster, "--secret-file", secret], kit.Root, output, output);

        // The grader's roster has two more students, who hand in what they should not: alice's notebook, and carol's with an edited seed.
        var gradeRoster = Path.Combine(folder, "roster-all.csv");
        File.WriteAllText(gradeRoster, "alice\nbob\ncarol\ndave\nerin\n");
        var key = VariantKey.Read(gradeRoster, secret);
        var submissions = Directory.CreateDirectory(Path.Combine(folder, "submissions")).FullName;
        foreach (var student in new[] { "alice", "bob", "carol" })
        {
            Solved(Path.Combine(release, student, "notebooks", Lesson06), Layer(key.Seed(student, "06.3"))).Save(Path.Combine(submissions, $"{student}.ipynb"));
        }

        File.Copy(Path.Combine(submissions, "alice.ipynb"), Path.Combine(submissions, "dave.ipynb"));
        var carols = key.Seed("carol", "06.3").ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(submissions, "erin.ipynb"), File.ReadAllText(Path.Combine(submissions, "carol.ipynb")).Replace(carols, "12345", StringComparison.Ordinal));

        var stderr = new StringWriter();
        var report = Path.Combine(folder, "report.json");
        var analysis = Path.Combine(folder, "analysis.html");
        var gradeExit = await Program.RunAsync(["grade", submissions, "--roster", gradeRoster, "--secret-file", secret, "--jobs", "2", "--output", report, "--json", "--analysis", analysis],
            kit.Root, TextWriter.Null, stderr);
        var entries = File.Exists(report) ? JsonNode.Parse(File.ReadAllText(report))!.AsArray().ToDictionary(e => e!["student"]!.GetValue<string>(), e => e!) : [];
        var analysisJson = Path.ChangeExtension(analysis, ".json");
        return new Graded(release, releaseExit, output.ToString(), gradeExit, stderr.ToString(), entries, key, File.Exists(analysisJson) ? JsonNode.Parse(File.ReadAllText(analysisJson)) : null);
    }

    /// <summary>A student's released lesson 06 with every exercise solved as the instructor did, but 06.3 answering <paramref name="layer"/>.</summary>
    private static NotebookDocument Solved(string released, int layer)
    {
        var student = NotebookDocument.Load(released);
        var instructor = NotebookDocument.Load(Path.Combine(EngineFixture.Shared.NotebooksFolder, Lesson06));
        var solutions = instructor.Cells.Where(c => c.Marker?.Kind == MarkerKind.Exercise).ToDictionary(c => c.Marker!.Id, c => c.Source);
        var cells = student.Cells.Select(c => c.Copy()).ToList();
        foreach (var cell in cells.Where(c => c.Marker?.Kind == MarkerKind.Exercise))
        {
            cell.Source = cell.Marker!.Id == "06.3" ? $"// EXERCISE 06.3 (1 point)\nint BrokenHiddenLayer() => {layer};" : solutions[cell.Marker.Id];
        }

        return student.WithCells(cells);
    }

    private static string Summary(JsonNode entry) =>
        string.Join(" ", entry["exercises"]!.AsArray().Select(e => $"{e!["id"]}:{e["earned"]}/{e["points"]}")) + $" total {entry["earned"]}/{entry["possible"]}";

    [Fact]
    public async Task A_roster_release_gives_each_student_a_different_broken_layer_and_never_the_secret()
    {
        var graded = await s_graded.Value;
        Assert.True(graded.ReleaseExit == 0, graded.ReleaseOutput);

        var cells = new[] { "alice", "bob", "carol" }.Select(s => NotebookDocument.Load(Path.Combine(graded.Release, s, "notebooks", Lesson06)).Cells.Single(VariantCell.Is).Source).ToList();
        var parsed = cells.Select(c => VariantCell.Parse(c)!.Value).ToList();
        Assert.Equal(["alice", "bob", "carol"], parsed.Select(p => p.Student));
        Assert.Equal([4, 1, 2], parsed.Select(p => Layer(p.Seeds.Single(s => s.Exercise == "06.3").Seed)));
        // The lessons without variants are the same for everyone; the secret is in no file of any release.
        Assert.Equal(File.ReadAllText(Path.Combine(graded.Release, "alice", "notebooks", "02-backpropagation.ipynb")),
            File.ReadAllText(Path.Combine(graded.Release, "carol", "notebooks", "02-backpropagation.ipynb")));
        var holding = Directory.EnumerateFiles(graded.Release, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains(Secret, StringComparison.Ordinal)).ToList();
        Assert.Empty(holding);
    }

    [Fact]
    public async Task Grade_writes_each_variant_from_the_gradebook_id_and_a_foreign_or_edited_seed_earns_nothing_for_06_3()
    {
        var graded = await s_graded.Value;
        Assert.True(graded.Report.Count == 5, graded.GradeStderr);

        foreach (var student in new[] { "alice", "bob", "carol" })
        {
            Assert.Equal("06.1:2/2 06.2:2/2 06.3:1/1 06.4:3/3 total 8/8", Summary(graded.Report[student]));
            Assert.Empty(graded.Report[student]["problems"]!.AsArray());
        }

        // dave hands in alice's notebook: his own variant is layer 4 as well, so only the rule keeps 06.3 from passing.
        Assert.Equal("06.1:2/2 06.2:2/2 06.3:0/1 06.4:3/3 total 7/8", Summary(graded.Report["dave"]));
        Assert.Contains("the notebook carries the variant of another student ('alice'), not the one drawn for 'dave': exercise 06.3 earns nothing",
            graded.Report["dave"]["problems"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("06.1:2/2 06.2:2/2 06.3:0/1 06.4:3/3 total 7/8", Summary(graded.Report["erin"]));
        Assert.Contains("the variant cell was edited (its seeds are not the ones drawn for 'erin'): exercise 06.3 earns nothing",
            graded.Report["erin"]["problems"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.StartsWith("earns nothing: the variant cell was edited", graded.Report["erin"]["exercises"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == "06.3")!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, graded.GradeExit);
    }

    [Fact]
    public async Task Each_grade_carries_the_layer_drawn_for_its_student_and_the_analysis_counts_06_3_per_layer()
    {
        var graded = await s_graded.Value;
        Assert.True(graded.Analysis is not null, graded.GradeStderr);
        var students = new[] { "alice", "bob", "carol", "dave", "erin" };
        var layers = students.ToDictionary(s => s, s => Layer(graded.Key.Seed(s, "06.3")));
        foreach (var student in students)
        {
            var exercises = graded.Report[student]["exercises"]!.AsArray().ToDictionary(e => e!["id"]!.GetValue<string>(), e => e!);
            Assert.Equal($"[{{\"from\":1,\"to\":4,\"value\":{layers[student]}}}]", exercises["06.3"]["variant"]!.ToJsonString());
            Assert.Null(exercises["06.1"]["variant"]);   // no variant: no field
        }

        // alice, bob and carol pass their own layers (4, 1, 2); dave (layer 4, alice's notebook) and erin (an edited seed) fail theirs.
        var passing = new HashSet<string> { "alice", "bob", "carol" };
        var expected = students.GroupBy(s => layers[s]).OrderBy(g => g.Key)
            .Select(g => $"Draw 1–4 = {g.Key}: {g.Count()} student(s), {g.Count()} attempted, {g.Count(passing.Contains)} passed, {g.Count(s => !passing.Contains(s))} failed");
        var exercise = graded.Analysis!["exercises"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == "06.3")!;
        Assert.Equal(expected, exercise["variants"]!.AsArray().Select(v =>
            $"{v!["parameter"]} = {v["value"]}: {v["students"]} student(s), {v["attempted"]} attempted, {v["passed"]} passed, {v["failed"]} failed"));
        Assert.Null(graded.Analysis["exercises"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == "06.1")!["variants"]);
    }
}
