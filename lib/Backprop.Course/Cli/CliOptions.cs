using System.CommandLine;
using System.Globalization;

namespace Backprop.Course.Cli;

/// <summary>The option and argument kinds several verbs share, each with the error message it gives for bad input.</summary>
internal static class CliOptions
{
    /// <summary>A whole, positive number of seconds.</summary>
    public static Option<int> Seconds(string name, string description, int fallback) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                return seconds;
            }

            result.AddError($"{name} {text}: expected a whole, positive number of seconds.");
            return fallback;
        },
    };

    /// <summary>An optional <c>--output DIR</c> (each verb says what goes there and the default).</summary>
    public static Option<string?> OutputFolder(string description) => new("--output") { Description = description, HelpName = "DIR" };

    /// <summary>Paths, of which none may look like an option (an unknown option would otherwise be taken for a file name).</summary>
    public static Argument<string[]> Paths(string name, string description, ArgumentArity arity)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = arity };
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.StartsWith('-')))
            {
                result.AddError($"unknown option {token.Value}.");
            }
        });
        return argument;
    }

    /// <summary>The executed notebooks charts and site read: optional paths, files or folders of them.</summary>
    public static Argument<string[]> Executed() =>
        Paths("executed", "Executed notebooks, or folders of them (default: artifacts/notebooks/*.ipynb, written by run).", ArgumentArity.ZeroOrMore);

    /// <summary>
    /// The executed notebooks a verb reads: those <paramref name="named"/> (a folder stands for the .ipynb files in it),
    /// or else artifacts/notebooks/*.ipynb (written by run).
    /// </summary>
    public static List<string> ExecutedNotebooks(string root, string[] named, CliContext cli)
    {
        var files = new List<string>();
        foreach (var path in named.Select(cli.Full))
        {
            if (!Directory.Exists(path))
            {
                files.Add(path);
                continue;
            }

            var inFolder = Directory.GetFiles(path, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            if (inFolder.Count == 0)
            {
                throw new CourseException($"{path}: the folder holds no .ipynb files.");
            }

            files.AddRange(inFolder);
        }

        if (files.Count == 0)
        {
            var folder = Path.Combine(root, "artifacts", "notebooks");
            files = Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal)] : [];
        }

        if (files.Count == 0)
        {
            throw new CourseException("no executed notebooks: run the lessons first (run), or name executed .ipynb files.");
        }

        foreach (var missing in files.Where(f => !File.Exists(f)))
        {
            throw new CourseException($"{missing}: no such file.");
        }

        return files;
    }
}
