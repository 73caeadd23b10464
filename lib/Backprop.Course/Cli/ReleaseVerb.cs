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
        var roster = new Option<string?>("--roster") { Description = "With --secret-file: one release per student, in DIR/ID/, from a CSV of student ids (first column); exercises with variants get the student's own seeds.", HelpName = "FILE" };
        var secret = new Option<string?>("--secret-file") { Description = "With --roster: the course secret the students' seeds are drawn from (never written into a release; keep it for grade).", HelpName = "FILE" };
        var release = new Command("release", "Writes the student version of every notebook (solutions stubbed, hidden checks removed, outputs cleared) and the kit's sources to DIR.")
        {
            output, force, roster, secret,
        };
        release.Validators.Add(result =>
        {
            if ((result.GetValue(roster) is null) != (result.GetValue(secret) is null))
            {
                result.AddError("--roster and --secret-file go together: the students' variants are drawn from both.");
            }
        });
        release.SetAction(result =>
        {
            var root = Kit.RepositoryRoot(cli.CurrentDirectory);
            if (result.GetValue(roster) is { } rosterFile)
            {
                RosterRelease.Write(root, cli.Full(result.GetValue(output)!), result.GetValue(force), cli.Full(rosterFile), cli.Full(result.GetValue(secret)!), cli.Stdout);
                return 0;
            }

            Release.Write(root, cli.Full(result.GetValue(output)!), result.GetValue(force), cli.Stdout);
            return 0;
        });
        return release;
    }
}
