using System.Diagnostics;

namespace Backprop.Course;

/// <summary>Runs a child process to completion; its output goes to the progress writer only when it fails.</summary>
internal static class ChildProcess
{
    public static void Run(string workingDirectory, TextWriter progress, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new CourseException($"could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            progress.WriteLine(stdout.Result);
            progress.WriteLine(stderr.Result);
            throw new CourseException($"`{fileName} {string.Join(' ', arguments)}` failed (exit code {process.ExitCode}) in {workingDirectory}.");
        }
    }
}
