using System.Text.Json.Nodes;
using Backprop.Course;
using Backprop.Course.Grading;
using Backprop.Course.Transforms;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;
using Backprop.Course.Policy;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The transforms release, validate and grade are built from, each alone (no engine): stub solutions, remove hidden
/// checks, clear outputs, the sandbox's setup cell, restore the instructor's cells, policy-check student cells, attest
/// checks, limit output; and the grading plan they compose.
/// </summary>
public sealed class TransformTests
{
    private static readonly string s_root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);
    private static readonly Lazy<CellPolicy> s_policy = new(() => new CellPolicy(KitImage.Read(Course.Kit.OutputDirectory(s_root))));

    private static NotebookDocument Lesson() => NotebookDocument.Load(Path.Combine(s_root, "notebooks", "00-start-here.ipynb"));

    private static NotebookCell Cell(string source, string type = "code", JsonArray? outputs = null) => new(new JsonObject
    {
        ["cell_type"] = type,
        ["metadata"] = new JsonObject(),
        ["source"] = NotebookCell.SourceLines(source),
        ["outputs"] = outputs ?? [],
        ["execution_count"] = type == "code" ? 3 : null,
    });

    private static JsonObject Stream(string text) => new() { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = NotebookCell.SourceLines(text) };

    private const string Exercise = "// EXERCISE 09.1 (2 points)\ndouble Twice(double x)\n{\n    // BEGIN SOLUTION\n    return 2 * x;\n    // END SOLUTION\n}";

    [Fact]
    public void StubSolutions_replaces_each_region_with_the_stub_at_its_indent()
    {
        var stubbed = StubSolutions.Apply(Exercise, "09.1", "here");
        Assert.Equal($"// EXERCISE 09.1 (2 points)\ndouble Twice(double x)\n{{\n    {StubSolutions.Stub("09.1")}\n}}", stubbed);
        Assert.Contains(WireContract.NotAttempted, stubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("2 * x", stubbed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("// EXERCISE 09.1\n// BEGIN SOLUTION\nvar y = 1;\n// END SOLUTION", "not inside a method body")]
    [InlineData("// EXERCISE 09.1\nvoid F()\n{\n// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n}", "inside another")]
    [InlineData("// EXERCISE 09.1\nvoid F()\n{\n// BEGIN SOLUTION\n}", "without `// END SOLUTION` after it")]
    [InlineData("// EXERCISE 09.1\nvoid F()\n{\n// END SOLUTION\n}", "without `// BEGIN SOLUTION` before it")]
    [InlineData("// EXERCISE 09.1\nvoid F(\n// BEGIN SOLUTION\n// END SOLUTION\n", "no longer compiles")]
    public void StubSolutions_refuses_a_region_that_would_not_work_for_the_student(string source, string message)
    {
        var error = Assert.Throws<CourseException>(() => StubSolutions.Apply(source, "09.1", "lesson, cell 4"));
        Assert.StartsWith("lesson, cell 4: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RemoveHiddenChecks_keeps_the_public_checks_and_reads_the_hidden_lines()
    {
        const string check = "// CHECK 09.1\nKit::Check.Exercise(\"09.1\", \"public\", () => { });\n  // BEGIN HIDDEN CHECKS\n  Kit::Check.Exercise(\"09.1\", \"secret\", () => { });\n\n  // END HIDDEN CHECKS\n";
        Assert.Equal("// CHECK 09.1\nKit::Check.Exercise(\"09.1\", \"public\", () => { });\n", RemoveHiddenChecks.Apply(check, "x"));
        Assert.Equal(["Kit::Check.Exercise(\"09.1\", \"secret\", () => { });"], RemoveHiddenChecks.HiddenLines(check));
        Assert.True(RemoveHiddenChecks.HasMarkers(check));
        Assert.False(RemoveHiddenChecks.HasMarkers(RemoveHiddenChecks.Apply(check, "x")));
        Assert.Contains("without `// END HIDDEN CHECKS` after it", Assert.Throws<CourseException>(() => RemoveHiddenChecks.Apply("// BEGIN HIDDEN CHECKS\nx", "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_without_markers_passes_both_region_transforms_unchanged()
    {
        var words = new[] { "var", "x", "=", "1;", "//", "BEGIN", "END", "SOLUTION", "HIDDEN", "CHECKS", "\n", "\r\n", " ", "\t", "{", "}" };
        var tried = 0;
        for (var seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            var source = string.Concat(Enumerable.Range(0, 200).Select(_ => words[random.Next(words.Length)]));
            if (StubSolutions.HasMarkers(source) || RemoveHiddenChecks.HasMarkers(source))
            {
                continue;   // a marker formed by chance: that case is the other tests'
            }

            tried++;
            Assert.Equal(source, RemoveHiddenChecks.Apply(source, "x"));
            Assert.Equal(source, MarkedRegions.Remove(source, Marker.BeginSolution, Marker.EndSolution, "x", _ => "never"));
        }

        Assert.True(tried > 10, $"only {tried} of 50 random sources were without markers");
    }

    [Fact]
    public void ClearOutputs_returns_a_copy_without_outputs_and_leaves_the_cell_as_it_was()
    {
        var cell = Cell("Console.WriteLine(1);", outputs: [Stream("1\n")]);
        var cleared = ClearOutputs.Apply(cell);
        Assert.False(cleared.HasOutputs);
        Assert.Equal(cell.Source, cleared.Source);
        Assert.True(cell.HasOutputs);
        var markdown = Cell("# Title", type: "markdown");
        Assert.Equal(markdown.Json.ToJsonString(), ClearOutputs.Apply(markdown).Json.ToJsonString());
    }

    [Fact]
    public void SandboxSetup_leaves_out_the_build_step_and_keeps_the_rest()
    {
        const string setup = "// SETUP 1/2\n#load \"../lib/Backprop.Kit/KitBuild.cs\"\n  KitBuild.EnsureBuilt(\"..\");\n#load \"../artifacts/kit/setup.csx\"\nvar kept = 1;";
        Assert.Equal("// SETUP 1/2\n#load \"../artifacts/kit/setup.csx\"\nvar kept = 1;", SandboxSetup.Apply(setup));
    }

    [Fact]
    public void RestoreInstructorCells_gives_the_setup_and_check_cells_as_they_run_and_trusts_only_unchanged_instructor_code()
    {
        var lesson = Lesson();
        var restore = new RestoreInstructorCells(lesson);
        var setup = restore.SetupCells().ToList();
        Assert.Equal(lesson.Cells.Count(c => c.Marker?.Kind == MarkerKind.Setup), setup.Count);
        Assert.All(setup, c => Assert.False(c.HasOutputs));
        Assert.All(setup, c => Assert.DoesNotContain(c.Source.Split('\n'), l => l.TrimStart().StartsWith("KitBuild.", StringComparison.Ordinal) || l.StartsWith("#load", StringComparison.Ordinal) && l.Contains("KitBuild.cs", StringComparison.Ordinal)));
        Assert.Contains(lesson.Cells.Where(c => c.Marker?.Kind == MarkerKind.Setup), c => c.Source.Contains("KitBuild.", StringComparison.Ordinal));

        var whole = lesson.Cells.Single(c => c.Marker is { Kind: MarkerKind.Check, Id: "00.1" }).Source;
        Assert.Equal(whole, restore.CheckCell("00.1", publicOnly: false)!.Source);
        Assert.Equal(RemoveHiddenChecks.Apply(whole, "x"), restore.CheckCell("00.1", publicOnly: true)!.Source);
        Assert.Null(restore.CheckCell("99.9", publicOnly: false));

        var plain = lesson.Cells.First(c => c.IsCode && c.Marker is null);
        Assert.True(restore.IsInstructors(Cell(plain.Source.Replace("\n", "  \r\n", StringComparison.Ordinal) + "\n\n")));
        Assert.False(restore.IsInstructors(Cell(plain.Source + "\nConsole.WriteLine(\"mine\");")));
        Assert.False(restore.IsInstructors(Cell(whole)));
    }

    [Fact]
    public void PolicyCheckCells_refuses_what_the_policy_or_the_kernel_refuses_and_stands_in_with_the_marker_and_reason()
    {
        var checker = s_policy.Value.Start();
        Assert.Null(PolicyCheckCells.Refusal(checker, Cell("var y = Math.Sqrt(2);")));
        Assert.Contains("File", PolicyCheckCells.Refusal(checker, Cell("var t = System.IO.File.ReadAllText(\"x\");")), StringComparison.Ordinal);
        var python = Cell("print(1)");
        python.Json["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "python" } };
        Assert.Equal("it is a cell for the 'python' kernel; graded cells are C#", PolicyCheckCells.Refusal(checker, python));

        var cell = Cell(Exercise);
        PolicyCheckCells.StandIn(cell, "a reason");
        Assert.Equal("// EXERCISE 09.1\n// not run by the grader: a reason\n", cell.Source);
        Assert.Equal(new Marker(MarkerKind.Exercise, "09.1", 1), cell.Marker);
    }

    [Fact]
    public void AttestChecks_counts_only_the_line_with_this_runs_secret_exercise_and_kit_and_removes_every_attestation_line()
    {
        var mvid = Guid.NewGuid();
        var nonce = AttestChecks.NewNonce();
        Assert.Matches("^[0-9a-f]{32}$", nonce);
        Assert.NotEqual(nonce, AttestChecks.NewNonce());
        Assert.Equal($"check();\nKit::Check.Attest(\"{nonce}\", \"09.1\");\n", AttestChecks.Apply("check();\n\n", nonce, "09.1"));

        NotebookCell Executed(string attestation) => Cell("check", outputs: [Stream($"✔ Exercise 09.1 passed\n{attestation}\n")]);
        var good = Executed($"{WireContract.AttestationPrefix}{nonce} 09.1 {mvid:D}");
        Assert.True(AttestChecks.Verify(good, nonce, "09.1", mvid));
        Assert.DoesNotContain(WireContract.AttestationPrefix, good.Json.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("✔ Exercise 09.1 passed", AttestChecks.Confirmation(good));

        Assert.False(AttestChecks.Verify(Executed($"{WireContract.AttestationPrefix}{AttestChecks.NewNonce()} 09.1 {mvid:D}"), nonce, "09.1", mvid));
        Assert.False(AttestChecks.Verify(Executed($"{WireContract.AttestationPrefix}{nonce} 09.2 {mvid:D}"), nonce, "09.1", mvid));
        Assert.False(AttestChecks.Verify(Executed($"{WireContract.AttestationPrefix}{nonce} 09.1 {Guid.NewGuid():D}"), nonce, "09.1", mvid));
        Assert.Equal("passed", AttestChecks.Confirmation(Cell("check")));
    }

    [Fact]
    public void LimitOutput_hides_the_thrown_message_and_keeps_its_type()
    {
        var limited = LimitOutput.WithoutThrownMessage($"Exercise 09.1: {WireContract.CodeThrew}System.ArgumentException: the hidden input was 42");
        Assert.StartsWith($"Exercise 09.1: {WireContract.CodeThrew}System.ArgumentException (the exception's message is not shown", limited, StringComparison.Ordinal);
        Assert.DoesNotContain("42", limited, StringComparison.Ordinal);
        Assert.Equal("expected 3, got 4", LimitOutput.WithoutThrownMessage("expected 3, got 4"));
    }

    [Fact]
    public void KitNameFlags_names_a_student_type_that_shadows_a_kit_type()
    {
        var lesson = Lesson();
        var submission = lesson.WithCells([.. lesson.Cells, Cell("class Mlp { }\nrecord Mine(int X);")]);
        var flag = Assert.Single(KitNameFlags.Of(submission, new HashSet<string>(StringComparer.Ordinal) { "Mlp", "Activation" }));
        Assert.StartsWith($"cell {lesson.Cells.Count + 1} declares a type named 'Mlp'", flag, StringComparison.Ordinal);
    }

    [Fact]
    public void GradingPlan_puts_the_setup_first_each_check_after_its_exercise_once_per_way_and_stands_in_for_refused_cells()
    {
        var lesson = Lesson();
        var student = Release.ForStudents(lesson);
        var cells = student.Cells.Select(c => c.Copy()).ToList();
        cells.Insert(0, Cell("var t = System.IO.File.ReadAllText(\"/etc/passwd\");"));
        var plan = GradingPlan.Build(student.WithCells(cells), lesson, s_policy.Value.Start(), [true, false]);

        var setupCount = lesson.Cells.Count(c => c.Marker?.Kind == MarkerKind.Setup);
        Assert.All(plan.Notebook.Cells.Take(setupCount), c => Assert.Equal(MarkerKind.Setup, c.Marker?.Kind));
        var refused = Assert.Single(plan.Refused);
        Assert.Equal(1, plan.StudentCellNumber(refused.Key));
        Assert.StartsWith("// not run by the grader: ", plan.Notebook.Cells[refused.Key - 1].Source, StringComparison.Ordinal);

        foreach (var id in new[] { "00.1", "00.2" })
        {
            var exercise = plan.Exercises.Single(e => e.Value == id).Key;
            Assert.Equal(exercise + 1, plan.CheckCells[0][id]);
            Assert.Equal(exercise + 2, plan.CheckCells[1][id]);
            var publicCheck = plan.Notebook.Cells[exercise].Source;
            var wholeCheck = plan.Notebook.Cells[exercise + 1].Source;
            Assert.EndsWith($"Kit::Check.Attest(\"{plan.Nonces[0][id]}\", \"{id}\");\n", publicCheck, StringComparison.Ordinal);
            Assert.EndsWith($"Kit::Check.Attest(\"{plan.Nonces[1][id]}\", \"{id}\");\n", wholeCheck, StringComparison.Ordinal);
            Assert.NotEqual(plan.Nonces[0][id], plan.Nonces[1][id]);
            Assert.DoesNotContain(Marker.BeginHiddenChecks, publicCheck, StringComparison.Ordinal);
            Assert.True(plan.AfterFirstCheck(exercise + 2));
        }

        Assert.Contains(Marker.BeginHiddenChecks, plan.Notebook.Cells[plan.CheckCells[1]["00.1"] - 1].Source, StringComparison.Ordinal);
        Assert.Equal(setupCount + student.Cells.Count(c => c.Marker?.Kind is not (MarkerKind.Setup or MarkerKind.Check)) + 1 + 4, plan.Notebook.Cells.Count);
    }
}
