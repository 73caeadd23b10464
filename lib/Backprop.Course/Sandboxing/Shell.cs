namespace Backprop.Course.Sandboxing;

/// <summary>Writing the sandbox's bash scripts: every word from outside (paths, arguments, environment values) goes in quoted.</summary>
internal static class Shell
{
    /// <summary>Quotes a word for bash: between single quotes, each single quote in it written as <c>'\''</c>.</summary>
    public static string Word(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
