namespace Backprop.Course.Cli;

/// <summary>What every verb's action needs from the command line: where it was run, and where to write.</summary>
internal sealed record CliContext(string CurrentDirectory, TextWriter Stdout, TextWriter Stderr)
{
    /// <summary>A path given on the command line, made absolute against <see cref="CurrentDirectory"/>.</summary>
    public string Full(string path) => Path.GetFullPath(path, CurrentDirectory);

    /// <summary><see cref="Full"/>, or null for an option not given.</summary>
    public string? FullOrNull(string? path) => path is null ? null : Full(path);
}
