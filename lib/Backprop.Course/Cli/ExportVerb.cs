using System.CommandLine;
using Backprop.Course.Publishing;

namespace Backprop.Course.Cli;

/// <summary><c>export</c>: the lessons as apps (<see cref="AppRunner"/>), a Gradescope bundle and a Classroom 50 workflow (<see cref="Exports"/>).</summary>
internal static class ExportVerb
{
    public static Command Create(CliContext cli)
    {
        var gradescopeOutput = new Option<string>("--output") { Description = "Folder to write to (empty or new).", HelpName = "DIR", Required = true };
        var gradescope = new Command("gradescope", "Writes a Gradescope autograder bundle (setup.sh, run_autograder, the kit and the instructor notebooks): zip the folder's contents and upload it.")
        {
            gradescopeOutput,
        };
        gradescope.SetAction(result =>
        {
            var written = Exports.Gradescope(Kit.RepositoryRoot(cli.CurrentDirectory), cli.Full(result.GetValue(gradescopeOutput)!));
            cli.Stdout.WriteLine($"Gradescope autograder bundle written to {written} (zip its contents: setup.sh and run_autograder at the top).");
            return 0;
        });

        // GitHub Classroom was retired on 2026-08-28: its verb stays as an alias that says it now writes the Classroom 50 export.
        var classroom = Classroom50Command(cli, "classroom50", "Writes the Classroom 50 workflow into a student release (its template repository): each pushed submission is graded by the grade command (public checks of the release's untouched copy) into result.json (classroom50/result/v1).", alias: false);
        var githubClassroom = Classroom50Command(cli, "github-classroom", "GitHub Classroom was retired (2026-08-28): now writes the Classroom 50 export, as export classroom50 does.", alias: true);

        return new Command("export", "Exports the lessons as C# file-based apps, and the grader to the graders courses already use: a Gradescope autograder bundle, a Classroom 50 workflow.")
        {
            AppRunner.AppsCommand(cli.CurrentDirectory, cli.Stdout), gradescope, classroom, githubClassroom,
        };
    }

    private static Command Classroom50Command(CliContext cli, string name, string description, bool alias)
    {
        var output = new Option<string>("--output") { Description = $"The student template repository (a release) to add {Exports.Classroom50Workflow} to.", HelpName = "DIR", Required = true };
        var command = new Command(name, description) { output };
        command.SetAction(result =>
        {
            if (alias)
            {
                cli.Stdout.WriteLine("GitHub Classroom was retired on 2026-08-28: export github-classroom now writes the Classroom 50 export (export classroom50).");
            }

            var written = Exports.Classroom50(cli.Full(result.GetValue(output)!));
            cli.Stdout.WriteLine($"Classroom 50 workflow written to {written}: commit it to the assignment's template repository.");
            return 0;
        });
        return command;
    }
}
