using System.CommandLine;
using Backprop.Course.Publishing;

namespace Backprop.Course.Cli;

/// <summary><c>charts</c>: every chart of executed notebooks as an offline page and a PNG (<see cref="ChartPictures"/>).</summary>
internal static class ChartsVerb
{
    public static Command Create(CliContext cli)
    {
        var executed = CliOptions.Executed();
        var output = CliOptions.OutputFolder("Folder for the pages and pictures (default: artifacts/charts/).");
        var width = new Option<int>("--width") { Description = "Page width in CSS pixels, about a VS Code notebook output's.", HelpName = "PIXELS", DefaultValueFactory = _ => ChartPictures.DefaultWidth };
        var charts = new Command("charts", "Writes every chart of executed notebooks as an offline page and, with Chromium on the machine, a PNG to look at.")
        {
            executed, output, width,
        };
        charts.SetAction(result =>
        {
            var root = Kit.RepositoryRoot(cli.CurrentDirectory);
            var files = CliOptions.ExecutedNotebooks(root, result.GetValue(executed)!, cli);
            var folder = cli.FullOrNull(result.GetValue(output)) ?? Path.Combine(root, "artifacts", "charts");
            var pictures = ChartPictures.Write(files, folder, Kit.OutputDirectory(root), result.GetValue(width), cli.Stdout);
            cli.Stdout.WriteLine($"{pictures.Count} chart(s) of {files.Count} notebook(s) written to {folder}");
            return 0;
        });
        return charts;
    }
}
