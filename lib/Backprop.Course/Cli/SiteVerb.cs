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
        var site = new Command("site", "Writes the executed lessons as an offline web book: index.html with the lesson map, one page per lesson (maths, highlighted code, outputs, charts, check results), its notebook and app.")
        {
            executed, output,
        };
        site.SetAction(result =>
        {
            var root = Kit.RepositoryRoot(cli.CurrentDirectory);
            var files = CliOptions.ExecutedNotebooks(root, result.GetValue(executed)!, cli);
            Site.Write(files, cli.FullOrNull(result.GetValue(output)) ?? Path.Combine(root, "artifacts", "site"), root, cli.Stdout);
            return 0;
        });
        return site;
    }
}
