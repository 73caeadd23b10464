using System.Diagnostics;
using Backprop.Course;
using Backprop.Course.Cli;
using Backprop.Course.Running;
using Backprop.Course.Sandboxing;

namespace Backprop.Notebooks.Tests;

/// <summary>The course tool's command line (System.CommandLine): --help for every verb, one-line usage errors with exit code 2.</summary>
public sealed class CommandLineTests
{
    private static readonly string s_root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);

    [Theory]
    [InlineData("run", "--cell-timeout")]
    [InlineData("release", "--force")]
    [InlineData("grade", "--json")]
    [InlineData("run", "--engine")]
    [InlineData("export", "apps")]
    [InlineData("grade", "--jobs")]
    [InlineData("grade", "--student-id")]
    [InlineData("grade", "--gradebook")]
    [InlineData("grade", "--feedback")]
    [InlineData("validate", "--timeout")]
    [InlineData("export", "gradescope")]
    [InlineData("export", "github-classroom")]
    [InlineData("grade", "--allow-weak-confinement")]
    public async Task Every_verb_has_help_naming_its_options(string verb, string option)
    {
        var stdout = new StringWriter();

        var exit = await Program.RunAsync([verb, "--help"], s_root, stdout, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Matches($@"Usage:\s+\S+ {verb} ", stdout.ToString());
        Assert.Contains(option, stdout.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error: --timeout abc: expected a whole, positive number of seconds.", "grade", "x.ipynb", "--timeout", "abc")]
    [InlineData("error: unknown option --bogus.", "run", "--bogus")]
    [InlineData("error: Option '--output' is required.", "release")]
    [InlineData("error: --jobs 0: expected a whole number from 1 to 16.", "run", "--engine", "app", "--jobs", "0")]
    [InlineData("error: unknown option --bogus.", "export", "apps", "--bogus")]
    [InlineData("error: --jobs many: expected a whole number of kernels from 1 to 64.", "grade", "x.ipynb", "--jobs", "many")]
    [InlineData("error: Option '--output' is required.", "export", "gradescope")]
    [InlineData("error: --student-id name: expected file, folder or regex:PATTERN.", "grade", "x.ipynb", "--student-id", "name")]
    public async Task A_usage_error_is_named_without_a_stack_trace_and_exits_2(string message, params string[] args)
    {
        var stderr = new StringWriter();

        var exit = await Program.RunAsync(args, s_root, TextWriter.Null, stderr);

        Assert.Equal(2, exit);
        Assert.StartsWith(message, stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("site")]
    [InlineData("charts")]
    public async Task A_folder_of_executed_notebooks_stands_for_its_ipynb_files_and_an_empty_one_is_named(string verb)
    {
        var folder = Directory.CreateTempSubdirectory("empty-executed-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a notebook");
            var stderr = new StringWriter();

            var exit = await Program.RunAsync([verb, folder, "--output", Path.Combine(folder, "out")], s_root, TextWriter.Null, stderr);

            Assert.Equal(2, exit);
            Assert.Equal($"error: {folder}: the folder holds no .ipynb files.", stderr.ToString().Trim());
            Assert.False(Directory.Exists(Path.Combine(folder, "out")), "nothing is written when the input is wrong");
            Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Grade_refuses_to_run_submissions_without_bubblewrap_unless_told_and_writes_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("weak-confinement-").FullName;
        try
        {
            var submission = Path.Combine(folder, "alice.ipynb");
            File.Copy(Path.Combine(s_root, "notebooks", "00-start-here.ipynb"), submission);
            var before = File.ReadAllBytes(submission);
            // The course tool as a lecturer runs it, on a machine where only a process group is available.
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tool = Path.Combine(s_root, "lib", "Backprop.Course", "bin", here.Parent!.Name, here.Name, "Backprop.Course.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = s_root };
            foreach (var argument in new[] { tool, "grade", submission, "--output", Path.Combine(folder, "report.json"), "--gradebook", Path.Combine(folder, "grades.csv"), "--feedback", Path.Combine(folder, "feedback") })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["BACKPROP_GRADER_CONFINEMENT"] = "group";
            start.Environment.Remove("BACKPROP_ALLOW_WEAK_CONFINEMENT");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the course tool ran past 2 minutes");

            Assert.Equal(2, process.ExitCode);
            Assert.StartsWith("error: bubblewrap does not work on this machine", await stderr, StringComparison.Ordinal);
            Assert.Contains("--allow-weak-confinement", await stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", await stderr, StringComparison.Ordinal);
            Assert.Equal("", await stdout);
            Assert.Equal(before, File.ReadAllBytes(submission));
            Assert.Equal(["alice.ipynb"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("bubblewrap", false, false)]
    [InlineData("bubblewrap", true, false)]
    [InlineData("unshare", false, true)]
    [InlineData("unshare", true, false)]
    [InlineData("group", false, true)]
    [InlineData("group", true, false)]
    public void Only_bubblewrap_or_the_lecturers_consent_lets_grade_run_submissions(string confinement, bool allowed, bool refused)
    {
        var kind = confinement switch { "bubblewrap" => ConfinementKind.Bubblewrap, "unshare" => ConfinementKind.Unshare, _ => ConfinementKind.ProcessGroup };
        var refusal = Confinement.Refusal(kind, allowed);

        Assert.Equal(refused, refusal is not null);
        if (refusal is not null)
        {
            Assert.Contains(Confinement.Describe(kind), refusal, StringComparison.Ordinal);
            Assert.Contains("apt-get install bubblewrap", refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_a_verb_the_tool_prints_its_help_and_exits_2()
    {
        var stdout = new StringWriter();

        var exit = await Program.RunAsync([], s_root, stdout, TextWriter.Null);

        Assert.Equal(2, exit);
        Assert.Contains("release", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("grade", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cells_error_in_runs_summary_cannot_move_the_lecturers_cursor_or_flood_the_terminal()
    {
        var cell = new CellResult(3, null, CellStatus.Failed, "\u001b[2J\u001b[31mcleared\r" + new string('x', 5_000_000) + "\nsecond line", TimeSpan.Zero);

        var summary = cell.ShortError;

        Assert.DoesNotContain('\u001b', summary);
        Assert.DoesNotContain('\r', summary);
        Assert.StartsWith("\\u001b[2J\\u001b[31mcleared\\u000d", summary, StringComparison.Ordinal);
        Assert.True(summary.Length < ReportText.MessageCap + 100, $"{summary.Length} characters");
    }
}
