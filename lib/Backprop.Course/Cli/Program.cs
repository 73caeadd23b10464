using System.CommandLine;
using System.Text;

namespace Backprop.Course.Cli;

/// <summary>
/// <c>dotnet run --project lib/Backprop.Course -- &lt;verb&gt; …</c>: run, release, grade, validate, export (apps,
/// gradescope, github-classroom), charts, site, serve (System.CommandLine; <c>--help</c> on the tool and on every verb). Each verb
/// is a file of its own in Cli/ that holds its options and calls its pipeline.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // The engine connection captures Console.Out while a command runs: write to the raw streams.
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
        return await RunAsync(args, Directory.GetCurrentDirectory(), stdout, stderr);
    }

    /// <summary>Parses <paramref name="args"/> and runs the verb: 0 success, 1 a notebook or submission failed, 2 a usage or input error (130: grade stopped by Ctrl-C).</summary>
    public static async Task<int> RunAsync(string[] args, string currentDirectory, TextWriter stdout, TextWriter stderr)
    {
        var cli = new CliContext(currentDirectory, stdout, stderr);
        var root = new RootCommand("Backprop.Course — the course tool of the Backprop.Notebooks kit: run, release, grade, validate, export, charts, site, serve.")
        {
            RunVerb.Create(cli), ReleaseVerb.Create(cli), GradeVerb.Create(cli), ValidateVerb.Create(cli), ExportVerb.Create(cli), ChartsVerb.Create(cli), SiteVerb.Create(cli), ServeVerb.Create(cli),
        };
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (args.Length == 0)
        {
            await root.Parse(["--help"]).InvokeAsync(invocation);
            return 2;
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }

            stderr.WriteLine($"Run with --help to see the verbs and their options{(parsed.CommandResult.Command == root ? "" : $" (or {parsed.CommandResult.Command.Name} --help)")}.");
            return 2;
        }

        try
        {
            return await parsed.InvokeAsync(invocation);
        }
        catch (CourseException e)
        {
            stderr.WriteLine($"error: {ReportText.Clean(e.Message)}");
            return 2;
        }
    }
}
