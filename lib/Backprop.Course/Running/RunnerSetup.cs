namespace Backprop.Course.Running;

/// <summary>What every verb that runs notebooks does first (run, grade, validate): build the kits, restore the engine, make a runner.</summary>
internal static class RunnerSetup
{
    /// <summary>
    /// Builds the kit of every repository the <paramref name="notebooks"/> belong to, restores the engine, and makes a runner
    /// with these time limits (seconds) that writes its per-cell progress to <paramref name="progress"/>, unless
    /// <paramref name="quiet"/>: several kernels at once would interleave those characters, so each notebook gets one line instead.
    /// </summary>
    public static NotebookRunner Create(IEnumerable<string> notebooks, TextWriter progress, int cellTimeout, int notebookTimeout, bool quiet = false)
    {
        var roots = notebooks.Select(Kit.RepositoryRoot).Distinct().ToList();
        foreach (var root in roots)
        {
            Kit.EnsureBuilt(root, progress);
        }

        var tool = Engine.ToolDll(roots[0], progress);
        return new NotebookRunner(tool, quiet ? TextWriter.Null : progress)
        {
            CellTimeout = TimeSpan.FromSeconds(cellTimeout),
            NotebookTimeout = TimeSpan.FromSeconds(notebookTimeout),
        };
    }
}
