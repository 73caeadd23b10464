using System.ComponentModel;
using System.Globalization;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Backprop.Course.Sandboxing;

/// <summary>How a child process ended: its exit code and output, or that it could not start or ran out of time (then it was killed, with everything it started).</summary>
internal sealed record ProcessOutcome(int? ExitCode, string Output, string Error, bool Started, bool TimedOut)
{
    /// <summary>True when the process started, finished in time and exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// The course tool's one way to run a short-lived program (the confinement probes, the sandbox's file tools, <c>dotnet
/// tool restore</c>): CliWrap runs it with stdin closed, its output captured and a timeout. The engine's kernel (started
/// by the engine connector from the sandbox's launch script), a lesson app's run (AppRunner streams its transcript) and
/// Chromium (ChartPictures) keep launchers of their own: each talks to its process while it runs.
/// </summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="fileName"/> to completion, for at most <paramref name="timeout"/>; never throws for a program
    /// that is missing, fails or hangs (the outcome says which). Blocking: its callers are synchronous (lazy probes, Dispose).
    /// </summary>
    public static ProcessOutcome Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var command = CliWrap.Cli.Wrap(fileName).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }

        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var result = command.ExecuteBufferedAsync(Encoding.UTF8, cancel.Token).GetAwaiter().GetResult();
            return new ProcessOutcome(result.ExitCode, result.StandardOutput, result.StandardError, Started: true, TimedOut: false);
        }
        catch (OperationCanceledException)
        {
            return new ProcessOutcome(null, "", "", Started: true, TimedOut: true);
        }
        catch (Exception e) when (e is Win32Exception || e.InnerException is Win32Exception)
        {
            return new ProcessOutcome(null, "", e.Message, Started: false, TimedOut: false);
        }
    }

    /// <summary>Runs a build step to completion (at most <paramref name="timeout"/>); its output goes to <paramref name="progress"/> only when it fails, which is a <see cref="CourseException"/>.</summary>
    public static void RunStep(string workingDirectory, TextWriter progress, TimeSpan timeout, string fileName, params string[] arguments)
    {
        var outcome = Run(fileName, arguments, timeout, workingDirectory);
        var command = $"`{fileName} {string.Join(' ', arguments)}`";
        if (!outcome.Started)
        {
            throw new CourseException($"could not start {fileName} ({outcome.Error}).");
        }

        if (outcome.TimedOut)
        {
            throw new CourseException(string.Create(CultureInfo.InvariantCulture, $"{command} did not finish within {timeout.TotalSeconds:0.#} seconds in {workingDirectory}; it was stopped."));
        }

        if (!outcome.Succeeded)
        {
            progress.WriteLine(outcome.Output);
            progress.WriteLine(outcome.Error);
            throw new CourseException($"{command} failed (exit code {outcome.ExitCode}) in {workingDirectory}.");
        }
    }
}
