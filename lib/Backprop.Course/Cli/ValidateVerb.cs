using System.CommandLine;
using Backprop.Course.Grading;

namespace Backprop.Course.Cli;

/// <summary><c>validate</c>: a student's own run of their notebook with the public checks (<see cref="Validation"/>).</summary>
internal static class ValidateVerb
{
    public static Command Create(CliContext cli)
    {
        var notebook = new Argument<string>("notebook") { Description = "Your notebook (.ipynb): save it first, the file on disk is what runs." };
        var timeout = CliOptions.Seconds("--timeout", "Time limit of the notebook, in seconds.", 300);
        var validate = new Command("validate", "Runs your notebook exactly as the grader does (same runner, same sandbox, your cells checked the same way) with the public checks only; says whether they all passed.")
        {
            notebook, timeout,
        };
        validate.SetAction((result, _) => Validation.ValidateAsync(cli.Full(result.GetValue(notebook)!), result.GetValue(timeout), cli.CurrentDirectory, cli.Stdout, cli.Stderr));
        return validate;
    }
}
