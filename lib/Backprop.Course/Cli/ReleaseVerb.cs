using System.CommandLine;
using Backprop.Course.Publishing;

namespace Backprop.Course.Cli;

/// <summary><c>release</c>: writes the student version of the kit (<see cref="Release"/>).</summary>
internal static class ReleaseVerb
{
    public static Command Create(CliContext cli)
    {
        var output = new Option<string>("--output") { Description = "Folder to write the release to (a folder of its own, outside the kit's repository).", HelpName = "DIR", Required = true };
        var force = new Option<bool>("--force") { Description = "Write into a non-empty folder, overwriting the release files in it (other files stay; a notebook or app that differs from the release, such as a student's edited notebook, is kept as NAME.bak-<time> first)." };
        var release = new Command("release", "Writes the student version of every notebook (solutions stubbed, hidden checks removed, outputs cleared) and the kit's sources to DIR.")
        {
            output, force,
        };
        release.SetAction(result =>
        {
            Release.Write(Kit.RepositoryRoot(cli.CurrentDirectory), cli.Full(result.GetValue(output)!), result.GetValue(force), cli.Stdout);
            return 0;
        });
        return release;
    }
}
