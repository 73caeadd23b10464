using System.CommandLine;
using Backprop.Course.Publishing;

namespace Backprop.Course.Cli;

/// <summary><c>run</c>: executes notebooks in the real engine (<see cref="LessonBatch"/>), or as apps with <c>--engine app</c> (<see cref="AppRunner"/>).</summary>
internal static class RunVerb
{
    public static Command Create(CliContext cli)
    {
        var notebooks = CliOptions.Paths("notebooks", "The notebooks to run (default: every notebooks/*.ipynb of the kit).", ArgumentArity.ZeroOrMore);
        var output = CliOptions.OutputFolder("Folder for the executed notebooks (default: artifacts/notebooks/ of the kit copy each belongs to).");
        var cellTimeout = CliOptions.Seconds("--cell-timeout", "Time limit of one cell, in seconds.", 120);
        var timeout = CliOptions.Seconds("--timeout", "Time limit of one notebook, in seconds.", 600);
        var engine = new Option<string>("--engine") { Description = "notebook: the real .NET Interactive engine; app: each lesson as a C# file-based app (dotnet run, no engine; --output is then the apps' folder).", DefaultValueFactory = _ => "notebook" };
        engine.AcceptOnlyFromAmong("notebook", "app");
        var jobs = AppRunner.JobsOption();
        var run = new Command("run", "Executes notebooks in the real .NET Interactive engine, cell by cell (or as apps, --engine app); prints a summary per notebook; exits 1 when any cell fails.")
        {
            notebooks, output, cellTimeout, timeout, engine, jobs,
        };
        run.SetAction((result, _) =>
        {
            List<string> paths = [.. result.GetValue(notebooks)!.Select(cli.Full)];
            var folder = cli.FullOrNull(result.GetValue(output));
            return result.GetValue(engine) == "app"
                ? AppRunner.RunAsync(paths, folder, result.GetValue(timeout), result.GetValue(jobs) ?? 1, cli.CurrentDirectory, cli.Stdout)
                : LessonBatch.RunAsync(paths, folder, result.GetValue(cellTimeout), result.GetValue(timeout), result.GetValue(jobs) ?? Environment.ProcessorCount, cli.CurrentDirectory, cli.Stdout);
        });
        return run;
    }
}
