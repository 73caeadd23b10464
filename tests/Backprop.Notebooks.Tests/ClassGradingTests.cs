using System.Diagnostics;
using System.Text.Json.Nodes;
using Backprop.Course.Cli;
using Backprop.Course.Grading;
using Backprop.Course.Transforms;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// Grading a whole class (issue 12): a folder of mixed lesson-00 submissions graded with <c>--jobs 2</c> and, at the same
/// time, one by one (<c>--jobs 1</c>) gives the same results; the gradebook, feedback pages and JSON report are written
/// and survive hostile student ids; no feedback page shows a hidden check's source; validate agrees with grade on the
/// public checks; the Gradescope bundle's run_autograder grades for real (the Classroom 50 workflow: ClassroomTests).
/// </summary>
[Collection("grader")]
public sealed class ClassGradingTests
{
    private const string Lesson00 = "00-start-here.ipynb";

    /// <summary>A student id with a comma, quotes, a line break and HTML in it (a folder name can hold all of them).</summary>
    private const string Hostile = "eve, \"the\"\n<b>=1+1";

    private static readonly Lazy<Task<Batches>> s_batches = new(GradeBothWaysAsync);

    private sealed record Run(int Exit, string Output, string Stdout, string Stderr);

    private sealed record Batches(string Submissions, Run Pooled, Run OneByOne);

    /// <summary>Lesson 00 with each exercise cell replaced by <paramref name="exercises"/>[id] (the instructor's solution otherwise).</summary>
    private static void Write(string path, Dictionary<string, string>? exercises = null)
    {
        var instructor = NotebookDocument.Load(Path.Combine(EngineFixture.Shared.NotebooksFolder, Lesson00));
        var cells = instructor.Cells.Select(c => c.Copy()).ToList();
        foreach (var cell in cells)
        {
            if (cell.Marker is { Kind: MarkerKind.Exercise } m && exercises?.GetValueOrDefault(m.Id) is { } source)
            {
                cell.Source = source;
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        instructor.WithCells(cells, Path.GetFileName(path)).Save(path);
    }

    private static async Task<Batches> GradeBothWaysAsync()
    {
        var kit = EngineFixture.Shared;
        var folder = Path.Combine(kit.Scratch, "class", "submissions");
        Write(Path.Combine(folder, "alice", Lesson00));
        // Wrong only where the hidden check looks: right for two and three inputs, the visible checks' cases, not for four.
        Write(Path.Combine(folder, "carol", Lesson00), new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\nVector<double> WithBias(Vector<double> x) => Vector<double>.Build.DenseOfEnumerable(new[] { 1.0 }.Concat(x.Take(3)));",
        });
        Write(Path.Combine(folder, "dan", Lesson00), new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\nVector<double> WithBias(Vector<double> x) => x;\nint Down(int n) => Down(n + 1) + 1;\nDown(0);",
        });
        Write(Path.Combine(folder, Hostile, Lesson00), new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\nConsole.WriteLine(\"<script>alert('x')</script> & more\");\nVector<double> WithBias(Vector<double> x) { while (true) { } }",
        });
        // A missing semicolon: the grader names the exercise and the line in the student's cell, not the check cell's consequence.
        Write(Path.Combine(folder, "erin", Lesson00), new()
        {
            ["00.1"] = "// EXERCISE 00.1 (1 point)\nVector<double> WithBias(Vector<double> x)\n{\n    var v = Vector<double>.Build.Dense(x.Count + 1, i => i == 0 ? 1.0 : x[i - 1])\n    return v;\n}",
        });
        Directory.CreateDirectory(Path.Combine(folder, "frank"));
        File.WriteAllText(Path.Combine(folder, "frank", Lesson00), "{ \"cells\": [ { \"cell_type\": ");

        async Task<Run> Grade(int jobs)
        {
            var output = Path.Combine(kit.Scratch, "class", $"jobs-{jobs}");
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await Program.RunAsync(
                ["grade", folder, "--student-id", "folder", "--jobs", jobs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--cell-timeout", "25", "--timeout", "240",
                 "--gradebook", Path.Combine(output, "gradebook.csv"), "--feedback", Path.Combine(output, "feedback"), "--output", Path.Combine(output, "report.json")],
                kit.Root, stdout, stderr);
            return new Run(exit, output, stdout.ToString(), stderr.ToString());
        }

        // Side by side: the pooled batch and the one-by-one batch (three kernels on two cores is also a load test).
        var pooled = Grade(2);
        var oneByOne = Grade(1);
        return new Batches(folder, await pooled, await oneByOne);
    }

    private static JsonArray Report(Run run) => JsonNode.Parse(File.ReadAllText(Path.Combine(run.Output, "report.json")))!.AsArray();

    private static Dictionary<string, string> PerExercise(Run run) => Report(run).ToDictionary(
        g => g!["student"]!.GetValue<string>(),
        g => string.Join(" ", g!["exercises"]!.AsArray().Select(e => $"{e!["id"]}:{e["earned"]}/{e["points"]}:{e["passed"]}")) + $" total {g["earned"]}/{g["possible"]} problems {g["problems"]!.AsArray().Count > 0}");

    [Fact]
    public void Validate_shows_a_recorded_answer_as_recorded_not_passed_and_leaves_its_points_out()
    {
        var grade = new SubmissionGrade("06-gradient-checking.ipynb", "04",
            [new ExerciseGrade("06.1", 2, 2, true, "✔ Exercise 06.1 passed: central difference"),
             new ExerciseGrade("06.3", 1, 1, true, "● Exercise 06.3 (the layer with the wrong deltas): answer recorded, BrokenHiddenLayer() = 2; it is checked when your lecturer grades")], 3, 3, []);

        var report = Validation.Report(grade);

        Assert.Contains("  ?/1  06.3: ● Exercise 06.3 (the layer with the wrong deltas): answer recorded, BrokenHiddenLayer() = 2; it is checked when your lecturer grades", report, StringComparison.Ordinal);
        Assert.DoesNotContain("06.3: ✔ passed", report, StringComparison.Ordinal);
        Assert.Contains("public checks: 2 of 3 points, 1 more recorded for your lecturer to check", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recorded_answer_says_so_and_a_later_comparison_judges_it()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            Backprop.Coursework.Check.Exercise("06.3", "the broken layer", () => Backprop.Coursework.Check.Recorded("BrokenHiddenLayer()", "2"));
            Backprop.Coursework.Check.Exercise("06.3", "the broken layer", () =>
            {
                Backprop.Coursework.Check.Recorded("BrokenHiddenLayer()", "3");
                Backprop.Coursework.Check.Equal("BrokenHiddenLayer()", 3, 3);
            });
        }
        finally
        {
            Console.SetOut(previous);
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("● Exercise 06.3 (the broken layer): answer recorded, BrokenHiddenLayer() = 2; it is checked when your lecturer grades", lines[0].TrimEnd());
        Assert.Equal("✔ Exercise 06.3 passed: the broken layer", lines[1].TrimEnd());
        Assert.Throws<Backprop.Coursework.ExerciseCheckException>(() => Backprop.Coursework.Check.Exercise("06.3", "the broken layer", () =>
        {
            Backprop.Coursework.Check.Recorded("BrokenHiddenLayer()", "2");
            Backprop.Coursework.Check.Equal("BrokenHiddenLayer()", 3, 2);
        }));
    }

    [Fact]
    public void Validate_lists_every_exercise_with_its_points_and_verdict_and_the_total()
    {
        var grade = new SubmissionGrade("/home/s/02-backpropagation.ipynb", "02",
            [new ExerciseGrade("02.1", 1, 1, true, "✔ Exercise 02.1 passed"), new ExerciseGrade("02.2", 2, 0, false, "✘ Exercise 02.2 (hidden deltas): δ_j — expected [1], got [2].\nmore")], 1, 3, []);

        var report = Validation.Report(grade);

        Assert.Equal(
            "02-backpropagation.ipynb: 1 of 2 exercise(s) do not pass their public checks yet.\n"
            + "  1/1  02.1: ✔ passed\n"
            + "  0/2  02.2: ✘ Exercise 02.2 (hidden deltas): δ_j — expected [1], got [2].\n"
            + "  public checks: 1 of 3 points (the hidden checks can still take points away when your lecturer grades)",
            report);
    }

    [Fact]
    public async Task A_mixed_folder_graded_two_at_a_time_gets_the_same_results_as_one_by_one()
    {
        var batches = await s_batches.Value;

        Assert.Equal(1, batches.Pooled.Exit);
        Assert.Equal(PerExercise(batches.OneByOne), PerExercise(batches.Pooled));
        var byStudent = Report(batches.Pooled).ToDictionary(g => g!["student"]!.GetValue<string>(), g => g!);
        Assert.Equal(new[] { "alice", "carol", "dan", "erin", "frank", Hostile }.Order(StringComparer.Ordinal), byStudent.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, byStudent["alice"]["earned"]!.GetValue<int>());
        Assert.Equal("00.1:0/1:false 00.2:1/1:true", string.Join(" ", byStudent["carol"]["exercises"]!.AsArray().Select(e => $"{e!["id"]!.GetValue<string>()}:{e["earned"]}/{e["points"]}:{e["passed"]}")));
        Assert.Contains("WithBias for D = 4", byStudent["carol"]["exercises"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("the kernel exited with code", string.Join("\n", byStudent["dan"]["problems"]!.AsArray()), StringComparison.Ordinal);
        Assert.Equal(1, byStudent["dan"]["earned"]!.GetValue<int>());
        Assert.Contains("timed out", byStudent[Hostile]["exercises"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, byStudent[Hostile]["earned"]!.GetValue<int>());
        Assert.Contains("not valid JSON", string.Join("\n", byStudent["frank"]["problems"]!.AsArray()), StringComparison.Ordinal);
        Assert.Equal("your exercise cell was not run: it does not compile (line 4: CS1002 ; expected)", byStudent["erin"]["exercises"]![0]!["message"]!.GetValue<string>());
        Assert.Equal(1, byStudent["erin"]["earned"]!.GetValue<int>());
        Assert.Contains(byStudent["erin"]["problems"]!.AsArray(), p => p!.GetValue<string>().EndsWith("(exercise 00.1) was not run: it does not compile (line 4: CS1002 ; expected).", StringComparison.Ordinal));
        // Progress on stderr: done/total, failures so far, time left.
        Assert.Matches(@"\[6/6\] .*· [0-9]+ with problems so far · [0-9:]+ elapsed · done", batches.Pooled.Stderr);
        Assert.Contains("eve, \"the\"\\u000a<b>=1+1: 1/2 points", batches.Pooled.Stderr, StringComparison.Ordinal);   // one line per submission, whatever the id holds
        Assert.Matches(@"\[1/6\] .*about [0-9:]+ left", batches.Pooled.Stderr);
        Assert.Contains("Grading 6 submission(s), 2 at a time.", batches.Pooled.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gradebook_has_one_row_per_student_with_the_import_columns_and_escapes_a_hostile_id()
    {
        var batches = await s_batches.Value;

        var rows = ParseCsv(File.ReadAllText(Path.Combine(batches.Pooled.Output, "gradebook.csv")));
        Assert.Equal(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Exercise 00.1", "Exercise 00.2", "Total"], rows[0]);
        Assert.Equal(7, rows.Count);
        var eve = rows.Single(r => r[0].StartsWith("eve", StringComparison.Ordinal));
        Assert.Equal([Hostile, "", "", Hostile, "", "0", "1", "1"], eve);
        Assert.Equal(["alice", "", "", "alice", "", "1", "1", "2"], rows.Single(r => r[0] == "alice"));
        Assert.Equal(["frank", "", "", "frank", "", "0", "0", "0"], rows.Single(r => r[0] == "frank"));
        Assert.Equal("'=1+1", GradebookCell("=1+1"));
        Assert.Equal(File.ReadAllText(Path.Combine(batches.OneByOne.Output, "gradebook.csv")), File.ReadAllText(Path.Combine(batches.Pooled.Output, "gradebook.csv")));
    }

    [Fact]
    public async Task Every_submission_gets_a_feedback_page_with_escaped_outputs_and_no_hidden_check_source()
    {
        var batches = await s_batches.Value;
        var instructor = NotebookDocument.Load(Path.Combine(EngineFixture.Shared.NotebooksFolder, Lesson00));
        var hidden = instructor.Cells.Where(c => c.Marker?.Kind == MarkerKind.Check)
            .SelectMany(c => c.Source.Split('\n').SkipWhile(l => !l.Contains(Marker.BeginHiddenChecks, StringComparison.Ordinal)).TakeWhile(l => !l.Contains(Marker.EndHiddenChecks, StringComparison.Ordinal)))
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        Assert.True(hidden.Count >= 4, "lesson 00 has hidden checks to leak");

        var pages = Directory.GetFiles(Path.Combine(batches.Pooled.Output, "feedback"));
        Assert.Equal(6, pages.Length);
        Assert.All(pages, p => Assert.Matches("^[A-Za-z0-9_-]+-lesson-(00|unknown)\\.html$", Path.GetFileName(p)));
        foreach (var page in pages)
        {
            var html = File.ReadAllText(page);
            Assert.All(hidden, line => Assert.DoesNotContain(line, html, StringComparison.Ordinal));
            Assert.DoesNotContain(System.Net.WebUtility.HtmlEncode(hidden[1]), html, StringComparison.Ordinal);
            Assert.DoesNotContain("Kit::Check", html, StringComparison.Ordinal);
        }

        var carol = File.ReadAllText(pages.Single(p => Path.GetFileName(p).StartsWith("carol", StringComparison.Ordinal)));
        Assert.Contains("0/1 not passed", carol, StringComparison.Ordinal);
        Assert.Contains("WithBias for D = 4", carol, StringComparison.Ordinal);
        Assert.Contains("y(0.5, −1.0) = ", carol, StringComparison.Ordinal);   // the student's own output
        var eve = File.ReadAllText(pages.Single(p => Path.GetFileName(p).StartsWith("eve", StringComparison.Ordinal)));
        Assert.DoesNotContain("<script>", eve, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", eve, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more", eve, StringComparison.Ordinal);
        Assert.Contains("timed out", eve, StringComparison.Ordinal);
        Assert.Equal("a_b_-lesson-unknown.html", ClassGrading.SafeFileName("a/b.", null));
        Assert.Equal("______etc_passwd-lesson-00.html", ClassGrading.SafeFileName("../../etc/passwd", "00"));
        Assert.Equal(Feedback.Redacted, Feedback.Redact("  " + hidden[1] + "  ", new HashSet<string> { hidden[1] }));
    }

    [Fact]
    public async Task Bad_grade_input_is_named_and_exits_2_before_anything_runs()
    {
        var kit = EngineFixture.Shared;
        var empty = Directory.CreateTempSubdirectory("backprop-empty-").FullName;
        var twice = Path.Combine(kit.Scratch, "twice");
        Directory.CreateDirectory(twice);
        File.Copy(Path.Combine(kit.NotebooksFolder, Lesson00), Path.Combine(twice, "a.ipynb"), overwrite: true);
        File.Copy(Path.Combine(kit.NotebooksFolder, Lesson00), Path.Combine(twice, "b.ipynb"), overwrite: true);
        foreach (var (args, message) in new (string[], string)[]
        {
            (["grade", "/nonexistent/x"], "/nonexistent/x: no such file or folder."),
            (["grade", empty], "no .ipynb files in that folder."),
            (["grade", twice, "--student-id", "folder"], "student 'twice' has 2 submissions of lesson 00"),
            (["grade", twice, "--student-id", "regex:(["], "not a valid regular expression"),
            (["grade", twice, "--student-id", "regex:^z(?<id>.*)"], "does not match 'a.ipynb'"),
            (["grade", twice, "--jobs", "0"], "--jobs 0: expected a whole number of kernels from 1 to 64."),
        })
        {
            var stderr = new StringWriter();
            var exit = await Program.RunAsync(args, kit.Root, TextWriter.Null, stderr);
            Assert.Equal(2, exit);
            Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Validate_runs_the_public_checks_only_and_agrees_with_grade_on_the_instructor_notebook_and_its_release()
    {
        var kit = EngineFixture.Shared;
        var batches = await s_batches.Value;
        var instructorOut = new StringWriter();
        var releaseOut = new StringWriter();
        var release = Path.Combine(kit.ReleaseRoot, "notebooks", Lesson00);
        var before = File.ReadAllText(release);

        var runs = await Task.WhenAll(
            Program.RunAsync(["validate", Path.Combine(kit.NotebooksFolder, Lesson00)], kit.Root, instructorOut, TextWriter.Null),
            Program.RunAsync(["validate", release], kit.ReleaseRoot, releaseOut, TextWriter.Null));

        Assert.Equal([0, 1], runs);
        Assert.Contains("all public checks passed; hidden checks run when your lecturer grades", instructorOut.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 of 2 exercise(s) do not pass their public checks yet.", releaseOut.ToString(), StringComparison.Ordinal);
        Assert.Contains("00.1: ✘ Exercise 00.1", releaseOut.ToString(), StringComparison.Ordinal);
        Assert.Contains("not attempted yet", releaseOut.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(release));
        // grade agrees: the instructor's notebook (alice's copy) passes, the release fails both exercises (the classroom test grades it).
        var alice = Report(batches.Pooled).Single(g => g!["student"]!.GetValue<string>() == "alice")!;
        Assert.All(alice["exercises"]!.AsArray(), e => Assert.True(e!["passed"]!.GetValue<bool>()));
    }

    /// <summary>
    /// Every instructor notebook and its release copy, each graded once both ways (<see cref="EngineFixture.BothWaysAsync"/>:
    /// one sandboxed kernel, each check cell as validate runs it, then as grade runs it), two kernels at a time: the same
    /// exercises, each with the same verdict, and the same message when it fails; the release's own checks (what validate
    /// runs in a release) are the instructor's public checks.
    /// </summary>
    [Fact]
    public async Task Validate_and_grade_agree_on_the_public_checks_of_every_instructor_notebook_and_its_release()
    {
        var kit = EngineFixture.Shared;
        var instructors = kit.InstructorNotebooks.ToList();
        var releases = instructors.Select(p => Path.Combine(kit.ReleaseRoot, "notebooks", Path.GetFileName(p))).ToList();

        // What validate runs in a release (its .course/checks copy) is what it runs on the instructor's notebook: the same
        // setup cells and each check cell without its hidden regions.
        foreach (var instructor in instructors)
        {
            var pristine = NotebookDocument.Load(Path.Combine(kit.ReleaseRoot, Release.ChecksFolder, Path.GetFileName(instructor)));
            var official = NotebookDocument.Load(instructor);
            Assert.Equal(Graded(official, publicOnly: true), Graded(pristine, publicOnly: false));
        }

        var graded = await kit.BothWaysAsync();

        Assert.Equal(instructors.Concat(releases), graded.Select(g => g.Path));
        var disagreements = new List<string>();
        foreach (var (path, isRelease, validate, grade) in graded)
        {
            var name = (isRelease ? "release " : "") + Path.GetFileName(path);
            var exercises = NotebookDocument.Load(path).Cells.Select(c => c.Marker).OfType<Marker>().Where(m => m.Kind == MarkerKind.Exercise).Select(m => m.Id).ToList();
            var recorded = NotebookDocument.Load(path).Cells.Where(c => c.Marker?.Kind == MarkerKind.Check && RemoveHiddenChecks.Apply(c.Source, "check").Contains("Check.Recorded(", StringComparison.Ordinal))
                .Select(c => c.Marker!.Id).ToHashSet(StringComparer.Ordinal);
            Assert.NotEmpty(exercises);
            Assert.True(validate.Problems.Count == 0, $"{name}: validate: {string.Join("; ", validate.Problems)}");
            Assert.True(grade.Problems.Count == 0, $"{name}: grade: {string.Join("; ", grade.Problems)}");
            Assert.Equal(exercises, validate.Exercises.Select(e => e.Id));
            Assert.Equal(exercises, grade.Exercises.Select(e => e.Id));
            foreach (var (v, g) in validate.Exercises.Zip(grade.Exercises))
            {
                if (v.Passed != g.Passed || (!v.Passed && v.Message != g.Message))
                {
                    disagreements.Add($"{name} {v.Id}: validate {(v.Passed ? "passed" : "failed")} ({v.Message}), grade {(g.Passed ? "passed" : "failed")} ({g.Message})");
                }

                if (isRelease)
                {
                    Assert.False(v.Passed, $"{name} {v.Id}: {v.Message}");
                    Assert.Contains($"✘ Exercise {v.Id}", v.Message, StringComparison.Ordinal);
                    Assert.Contains(Backprop.Coursework.Check.NotAttemptedMessage, v.Message, StringComparison.Ordinal);
                    Assert.DoesNotContain("   at ", v.Message, StringComparison.Ordinal);
                }
                else
                {
                    Assert.True(v.Passed && g.Passed, $"{name} {v.Id}: validate: {v.Message}; grade: {g.Message}");
                    // An exercise whose public check records the answer (Check.Recorded) is never "passed" without its hidden checks.
                    Assert.StartsWith(recorded.Contains(v.Id) ? $"● Exercise {v.Id} (" : $"✔ Exercise {v.Id} passed", v.Message, StringComparison.Ordinal);
                    Assert.StartsWith($"✔ Exercise {g.Id} passed", g.Message, StringComparison.Ordinal);
                }
            }

            Assert.Contains(isRelease ? $"{exercises.Count} of {exercises.Count} exercise(s) do not pass their public checks yet." : "all public checks passed; hidden checks run when your lecturer grades",
                Validation.Report(validate), StringComparison.Ordinal);
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));

        // The setup cells and the check cells (public checks only, or whole) of a notebook, as the grader places them.
        static List<string> Graded(NotebookDocument notebook, bool publicOnly) =>
        [
            .. notebook.Cells.Where(c => c.Marker?.Kind is MarkerKind.Setup or MarkerKind.Check)
                .Select(c => $"{c.Marker}: {(c.Marker!.Kind == MarkerKind.Setup ? SandboxSetup.Apply(c.Source) : publicOnly ? RemoveHiddenChecks.Apply(c.Source, "check") : c.Source)}"),
        ];
    }

    [Fact]
    public async Task The_Gradescope_bundle_writes_a_valid_results_json_for_a_correct_and_a_wrong_submission()
    {
        var kit = EngineFixture.Shared;
        var batches = await s_batches.Value;

        async Task<JsonObject> Autograde(string name, string submission)
        {
            var root = Path.Combine(kit.Scratch, "gradescope-" + name, "autograder");
            var source = Path.Combine(root, "source");
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            Assert.Equal(0, await Program.RunAsync(["export", "gradescope", "--output", source], kit.Root, TextWriter.Null, TextWriter.Null));
            SimulateSetup(Path.Combine(source, "kit"));
            Directory.CreateDirectory(Path.Combine(root, "submission"));
            File.Copy(submission, Path.Combine(root, "submission", "my-work.ipynb"));
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(source, "run_autograder"));
            start.Environment[Exports.AutograderRootVariable] = root;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{await stdout}{await stderr}");
            var results = Path.Combine(root, "results", "results.json");
            Assert.True(File.Exists(results), File.Exists(Path.Combine(root, "results", "grader.log")) ? File.ReadAllText(Path.Combine(root, "results", "grader.log")) : "no log");
            return JsonNode.Parse(File.ReadAllText(results))!.AsObject();
        }

        var both = await Task.WhenAll(
            Autograde("correct", Path.Combine(batches.Submissions, "alice", Lesson00)),
            Autograde("wrong", Path.Combine(batches.Submissions, "carol", Lesson00)));

        foreach (var results in both)
        {
            // Gradescope's fields: score, tests[] with name, score, max_score, output, visibility.
            Assert.Equal("Number", JsonValueKind(results["score"]));
            var tests = results["tests"]!.AsArray();
            Assert.Equal(["Exercise 00.1", "Exercise 00.2"], tests.Select(t => t!["name"]!.GetValue<string>()));
            Assert.All(tests, t =>
            {
                Assert.Equal(1, t!["max_score"]!.GetValue<int>());
                Assert.InRange(t["score"]!.GetValue<int>(), 0, 1);
                Assert.False(string.IsNullOrWhiteSpace(t["output"]!.GetValue<string>()));
                Assert.Equal("after_published", t["visibility"]!.GetValue<string>());   // both exercises of lesson 00 have hidden checks
            });
            Assert.Contains(results["visibility"]!.GetValue<string>(), new[] { "visible", "hidden", "after_due_date", "after_published" });
        }

        Assert.Equal(2, both[0]["score"]!.GetValue<int>());
        Assert.Equal(1, both[1]["score"]!.GetValue<int>());
        Assert.Equal(0, both[1]["tests"]![0]!["score"]!.GetValue<int>());
        Assert.Contains("WithBias for D = 4", both[1]["tests"]![0]!["output"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static string JsonValueKind(JsonNode? node) => node?.GetValueKind().ToString() ?? "null";

    /// <summary>What setup.sh builds, taken from this build instead (no network, no minute-long build in a test): the kit and the course tool.</summary>
    private static void SimulateSetup(string kitCopy)
    {
        var root = EngineFixture.Shared.Root;
        foreach (var (from, to) in new[] { (Course.Kit.OutputDirectory(root), Path.Combine(kitCopy, "artifacts", "kit")), (Path.Combine(root, "lib", "Backprop.Course", "bin", "Release", "net10.0"), Path.Combine(kitCopy, "lib", "Backprop.Course", "bin", "Release", "net10.0")) })
        {
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, File.ReadAllBytes(file));   // fresh time stamps: built after the sources, as setup.sh's build is
            }
        }
    }

    /// <summary>An RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks; rows end with CRLF.</summary>
    [Theory]
    [InlineData("=1+1")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tx")]
    [InlineData("=HYPERLINK(\"http://x\", \"a,b\")")]
    public void A_student_id_that_a_spreadsheet_would_run_as_a_formula_reads_as_text_in_the_gradebook(string id)
    {
        Assert.Equal("'" + id, GradebookCell(id));
    }

    /// <summary>The Student cell of a gradebook of one student with this id, as a CSV reader reads it.</summary>
    private static string GradebookCell(string id) =>
        ParseCsv(Gradebook.Text([(new Submission($"/x/{id}.ipynb", "/x", id), new SubmissionGrade($"/x/{id}.ipynb", "00", [], 0, 0, []))]))[1][0];

    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
