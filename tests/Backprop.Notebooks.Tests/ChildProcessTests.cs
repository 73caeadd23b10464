using System.Diagnostics;
using Backprop.Course;
using Backprop.Course.Sandboxing;

namespace Backprop.Notebooks.Tests;

/// <summary>The course tool's one runner of short-lived programs: exit code and output captured, a missing program or a hang reported, never thrown.</summary>
public sealed class ChildProcessTests
{
    [Fact]
    public void Run_captures_the_exit_code_and_both_outputs()
    {
        var outcome = ChildProcess.Run("sh", ["-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(30));
        Assert.Equal((3, "out\n", "err\n", true, false), (outcome.ExitCode, outcome.Output, outcome.Error, outcome.Started, outcome.TimedOut));
        Assert.False(outcome.Succeeded);
        Assert.True(ChildProcess.Run("true", [], TimeSpan.FromSeconds(30)).Succeeded);
    }

    [Fact]
    public void A_missing_program_is_an_outcome_not_an_exception()
    {
        var outcome = ChildProcess.Run("backprop-no-such-program", ["x"], TimeSpan.FromSeconds(30));
        Assert.False(outcome.Started);
        Assert.False(outcome.Succeeded);
    }

    [Fact]
    public void A_program_that_runs_too_long_is_killed_with_what_it_started()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"backprop-child-{Guid.NewGuid():N}");
        try
        {
            var clock = Stopwatch.StartNew();
            var outcome = ChildProcess.Run("sh", ["-c", $"sleep 97 & echo $! > {pidFile}; wait"], TimeSpan.FromMilliseconds(500));
            Assert.True(outcome.TimedOut);
            Assert.Null(outcome.ExitCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
            var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var gone = SpinWait.SpinUntil(() => !File.Exists($"/proc/{child}/status") || File.ReadAllText($"/proc/{child}/status").Contains("State:\tZ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            Assert.True(gone, $"the child {child} (sleep 97) outlived the timeout");
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [Fact]
    public void RunStep_shows_the_output_only_when_the_step_fails()
    {
        var progress = new StringWriter();
        ChildProcess.RunStep(Path.GetTempPath(), progress, TimeSpan.FromSeconds(30), "sh", "-c", "echo quiet");
        Assert.Equal("", progress.ToString());
        var error = Assert.Throws<CourseException>(() => ChildProcess.RunStep(Path.GetTempPath(), progress, TimeSpan.FromSeconds(30), "sh", "-c", "echo loud; exit 4"));
        Assert.Contains("failed (exit code 4)", error.Message, StringComparison.Ordinal);
        Assert.Contains("loud", progress.ToString(), StringComparison.Ordinal);
        Assert.Contains("did not finish", Assert.Throws<CourseException>(() => ChildProcess.RunStep(Path.GetTempPath(), progress, TimeSpan.FromMilliseconds(300), "sleep", "30")).Message, StringComparison.Ordinal);
    }
}
