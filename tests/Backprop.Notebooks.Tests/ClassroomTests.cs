using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The Classroom 50 export (issue 23, item 1): the workflow's grading step, run as a runner runs it — bash, in a folder laid
/// out like the assignment's template repository with the student's notebook committed, and the variables Actions sets —
/// writes a result.json valid against Classroom 50's schema for a correct and for a wrong submission.
/// </summary>
[Collection("grader")]
public sealed partial class ClassroomTests
{
    private const string Lesson00 = "00-start-here.ipynb";

    [Fact]
    public async Task The_Classroom_50_grading_step_writes_a_valid_result_json_for_a_correct_and_a_wrong_submission()
    {
        var kit = EngineFixture.Shared;
        var instructor = Path.Combine(kit.NotebooksFolder, Lesson00);
        var wrong = Path.Combine(kit.Scratch, "classroom50-wrong.ipynb");
        var notebook = NotebookDocument.Load(instructor);
        var cells = notebook.Cells.Select(c => c.Copy()).ToList();
        cells.Single(c => c.Marker is { Kind: MarkerKind.Exercise, Id: "00.2" }).Source = "// EXERCISE 00.2 (1 point)\ndouble Sigma(double a) => 1.0 / (1.0 + Math.Exp(a));";
        notebook.WithCells(cells).Save(wrong);

        var results = await Task.WhenAll(GradeStepAsync("correct", instructor), GradeStepAsync("wrong", wrong));

        foreach (var result in results)
        {
            AssertValidResult(result);
            Assert.Equal("backprop", result["classroom"]!.GetValue<string>());
            Assert.Equal("lesson-00", result["assignment"]!.GetValue<string>());
            Assert.Equal("ada", result["owner"]!.GetValue<string>());
            Assert.Equal("individual", result["assignment_type"]!.GetValue<string>());
            Assert.Equal("2026-12-06T21:30:00Z", result["datetime"]!.GetValue<string>());
            Assert.Equal(["Exercise 00.1", "Exercise 00.2"], result["tests"]!.AsArray().Select(t => t!["test-name"]!.GetValue<string>()));
            Assert.Equal(2, result["max-score"]!.GetValue<int>());
        }

        Assert.Equal(2, results[0]["score"]!.GetValue<int>());
        Assert.Equal(1, results[1]["score"]!.GetValue<int>());
        Assert.False(results[1]["tests"]![1]!["passed"]!.GetValue<bool>());
        Assert.StartsWith("https://github.com/backprop-course/backprop-lesson-00-ada/compare/", results[0]["review"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_retired_github_classroom_verb_says_it_now_writes_the_Classroom_50_export()
    {
        var kit = EngineFixture.Shared;
        var release = Path.Combine(kit.Scratch, "classroom50-alias");
        CopyRelease(kit.ReleaseRoot, release);
        var stdout = new StringWriter();

        var exit = await Course.Cli.Program.RunAsync(["export", "github-classroom", "--output", release], kit.Root, stdout, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Contains("export github-classroom now writes the Classroom 50 export", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("--classroom50 result.json", File.ReadAllText(Path.Combine(release, Exports.Classroom50Workflow)), StringComparison.Ordinal);
    }

    /// <summary>
    /// Classroom 50's result schema, as foundation50/classroom50's schemas/result-v1.schema.json (classroom50/result/v1)
    /// states it: exactly the required top-level fields, optionally graded_at and submitted_by; non-empty strings; the
    /// submission a submit/ tag; datetime (and graded_at) YYYY-MM-DDTHH:MM:SSZ; score and max-score integers ≥ 0;
    /// tests[] of objects with test-name (non-empty), passed (boolean), score and max-score (integers ≥ 0). The cross-field
    /// rules its validators enforce in code (score ≤ max-score, per test too) are checked as well.
    /// </summary>
    private static void AssertValidResult(JsonObject result)
    {
        string[] required = ["schema", "classroom", "assignment", "assignment_type", "owner", "submission", "commit", "release", "review", "datetime", "score", "max-score", "tests"];
        Assert.DoesNotContain(required, f => !result.ContainsKey(f));
        Assert.DoesNotContain(result.Select(p => p.Key), k => !required.Contains(k) && k is not ("graded_at" or "submitted_by"));
        Assert.Equal("classroom50/result/v1", result["schema"]!.GetValue<string>());
        foreach (var field in new[] { "classroom", "assignment", "owner", "commit", "release", "review" })
        {
            Assert.False(string.IsNullOrEmpty(result[field]!.GetValue<string>()), field);
        }

        Assert.Contains(result["assignment_type"]!.GetValue<string>(), new[] { "individual", "group" });
        Assert.StartsWith("submit/", result["submission"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Matches(Datetime(), result["datetime"]!.GetValue<string>());
        if (result["graded_at"] is { } gradedAt)
        {
            Assert.Matches(Datetime(), gradedAt.GetValue<string>());
        }

        if (result["submitted_by"] is JsonObject by)
        {
            Assert.DoesNotContain(by.Select(p => p.Key), k => k is not ("username" or "id"));
            Assert.False(string.IsNullOrEmpty(by["username"]!.GetValue<string>()));
        }

        var (score, max) = (NonNegativeInteger(result["score"]), NonNegativeInteger(result["max-score"]));
        Assert.True(score <= max);
        foreach (var test in result["tests"]!.AsArray())
        {
            var t = Assert.IsType<JsonObject>(test);
            Assert.False(string.IsNullOrEmpty(t["test-name"]!.GetValue<string>()));
            Assert.Contains(t["passed"]!.GetValueKind(), new[] { System.Text.Json.JsonValueKind.True, System.Text.Json.JsonValueKind.False });
            Assert.True(NonNegativeInteger(t["score"]) <= NonNegativeInteger(t["max-score"]));
        }
    }

    private static int NonNegativeInteger(JsonNode? node)
    {
        Assert.Equal(System.Text.Json.JsonValueKind.Number, node!.GetValueKind());
        Assert.Matches("^[0-9]+$", node.ToJsonString());   // an integer as JSON writes it: no fraction, no exponent, no sign
        return node.GetValue<int>();
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$")]
    private static partial Regex Datetime();

    /// <summary>
    /// The workflow's "Grade" step, run by bash as the runner runs it: in a copy of the release (the template repository,
    /// committed, with .classroom50.yaml as `gh student accept` writes it), the student's notebook committed on top, the
    /// course tool taken from this build (what the workflow's build step makes), and the variables Actions sets.
    /// </summary>
    private static async Task<JsonObject> GradeStepAsync(string name, string submission)
    {
        var kit = EngineFixture.Shared;
        var runner = Path.Combine(kit.Scratch, "classroom50-" + name);
        CopyRelease(kit.ReleaseRoot, runner);
        var workflow = File.ReadAllText(Exports.Classroom50(runner));
        File.WriteAllText(Path.Combine(runner, ".classroom50.yaml"), "classroom: backprop\nassignment: lesson-00\n");
        Git(runner, "init", "-q", "-b", "main");
        Git(runner, "add", "-A");
        Git(runner, "commit", "-q", "-m", "template");
        File.Copy(submission, Path.Combine(runner, "notebooks", Lesson00), overwrite: true);
        Git(runner, "commit", "-q", "-am", "my work");
        var tool = Path.Combine(kit.Root, "lib", "Backprop.Course", "bin", "Release", "net10.0");
        CopyTree(tool, Path.Combine(runner, "lib", "Backprop.Course", "bin", "Release", "net10.0"));

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = runner };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Step(workflow, "Grade"));
        var sha = Git(runner, "rev-parse", "HEAD").Trim();
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "backprop-course/backprop-lesson-00-ada", ["GITHUB_SHA"] = sha,
            ["GITHUB_REF"] = "refs/tags/submit/2026-12-06T21-30-00Z-" + sha[..7], ["GITHUB_REF_NAME"] = "submit/2026-12-06T21-30-00Z-" + sha[..7],
            ["SUBMISSION_TAG"] = "submit/2026-12-06T21-30-00Z-" + sha[..7], ["GITHUB_ACTOR"] = "ada", ["GITHUB_ACTOR_ID"] = "1815",
            ["RUNNER_TEMP"] = Directory.CreateDirectory(Path.Combine(runner + "-temp")).FullName, ["LESSONS"] = "notebooks/" + Lesson00,
            ["GIT_COMMITTER_DATE"] = "2026-12-06T21:30:00Z",
        })
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var result = Path.Combine(runner, "result.json");
        Assert.True(process.ExitCode == 0 && File.Exists(result), $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        var text = File.ReadAllText(result);
        Assert.False(text.StartsWith('\uFEFF'));   // Classroom 50's readers refuse a byte-order mark
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The script of the step named <paramref name="name"/> (its <c>run: |</c> block, unindented).</summary>
    private static string Step(string workflow, string name)
    {
        var lines = workflow.Split('\n');
        var at = Array.FindIndex(lines, l => l.Trim() == $"- name: {name}");
        var run = Array.FindIndex(lines, at, l => l.Trim() == "run: |");
        var indent = lines[run + 1].Length - lines[run + 1].TrimStart().Length;
        return string.Join('\n', lines.Skip(run + 1).TakeWhile(l => l.Trim().Length == 0 || l.Length - l.TrimStart().Length >= indent).Select(l => l.Length >= indent ? l[indent..] : ""));
    }

    private static void CopyRelease(string release, string to)
    {
        if (Directory.Exists(to))
        {
            Directory.Delete(to, recursive: true);
        }

        using var cp = Process.Start("cp", ["-a", release, to]);   // -a keeps the times: the copied kit stays current
        cp.WaitForExit();
        Assert.Equal(0, cp.ExitCode);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static string Git(string folder, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=Ada", "-c", "user.email=ada@example.org", "-c", "commit.gpgsign=false" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["GIT_COMMITTER_DATE"] = "2026-12-06T21:30:00Z";
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
        return output;
    }
}
