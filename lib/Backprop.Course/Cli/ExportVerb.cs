using System.CommandLine;
using Backprop.Course.Publishing;

namespace Backprop.Course.Cli;

/// <summary><c>export</c>: the lessons as apps (<see cref="AppRunner"/>), a Gradescope bundle and a GitHub Classroom workflow (<see cref="Exports"/>).</summary>
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

        var classroomOutput = new Option<string>("--output") { Description = "The student template repository (a release) to add .github/workflows/classroom.yml to.", HelpName = "DIR", Required = true };
        var classroom = new Command("github-classroom", "Writes the GitHub Classroom workflow that grades each pushed notebook with the grade command (public checks of the release's untouched copy).")
        {
            classroomOutput,
        };
        classroom.SetAction(result =>
        {
            var written = Exports.GitHubClassroom(cli.Full(result.GetValue(classroomOutput)!));
            cli.Stdout.WriteLine($"GitHub Classroom workflow written to {written}.");
            return 0;
        });

        return new Command("export", "Exports the lessons as C# file-based apps, and the grader to the graders courses already use: a Gradescope autograder bundle, a GitHub Classroom workflow.")
        {
            AppRunner.AppsCommand(cli.CurrentDirectory, cli.Stdout), gradescope, classroom,
        };
    }
}
