using System.CommandLine;
using Backprop.Course.Publishing;

namespace Backprop.Course.Cli;

/// <summary><c>site</c>: the executed lessons as an offline web book (<see cref="Site"/>).</summary>
internal static class SiteVerb
{
    public static Command Create(CliContext cli)
    {
        var executed = CliOptions.Executed();
        var output = CliOptions.OutputFolder("The site folder, replaced (default: artifacts/site/).");
        // Tests and the lecturer only: pages with the solutions and hidden checks, under a "do not publish" banner.
        var instructor = new Option<bool>("--instructor") { Description = "The instructor version (solutions shown): never publish it.", Hidden = true };
        var site = new Command("site", "Writes the executed lessons as an offline web book: index.html with the lesson map, one page per lesson (maths, highlighted code, outputs, charts, check results), its notebook and app.")
        {
            executed, output, instructor,
        };
        site.SetAction(result =>
        {
            var root = Kit.RepositoryRoot(cli.CurrentDirectory);
            var files = CliOptions.ExecutedNotebooks(root, result.GetValue(executed)!, cli);
            Site.Write(files, cli.FullOrNull(result.GetValue(output)) ?? Path.Combine(root, "artifacts", "site"), root, cli.Stdout, result.GetValue(instructor));
            return 0;
        });
        return site;
    }
}
