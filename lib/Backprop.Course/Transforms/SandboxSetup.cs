namespace Backprop.Course.Transforms;

/// <summary>Transform (grade, validate): a setup cell as it runs in the sandbox, without its build-if-stale step (the grader built and verified the kit).</summary>
internal static class SandboxSetup
{
    /// <summary>The source without the <c>#load "…KitBuild.cs"</c> line and the <c>KitBuild.</c> calls.</summary>
    public static string Apply(string source) => string.Join('\n', source.Split('\n')
        .Where(l => !(l.TrimStart().StartsWith("#load", StringComparison.Ordinal) && l.Contains("KitBuild.cs", StringComparison.Ordinal))
                    && !l.TrimStart().StartsWith("KitBuild.", StringComparison.Ordinal)));
}
