using System.Reflection;
using System.Runtime.Loader;

namespace Backprop.Lessons;

/// <summary>
/// What a notebook's setup cell calls once, after the <c>#r</c> lines: makes Plotly.NET 6 charts
/// work in the .NET Interactive engine.
/// </summary>
/// <remarks>
/// Plotly.NET 6.0.0 is built against FSharp.Core 10.1.0.0 while the engine ships FSharp.Core
/// 10.0.0.0, so without this the first chart throws
/// <c>FileNotFoundException: FSharp.Core, Version=10.1.0.0</c>. The fix answers requests for
/// FSharp.Core with the copy the engine has already loaded (the API Plotly.NET uses is in both).
/// </remarks>
public static class NotebookSupport
{
    private static int s_installed;

    /// <summary>Installs the FSharp.Core resolver, then the kit's <see cref="Charts.ChartStyle"/> (once per kernel; calling again does nothing).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveFSharpCore;
            Charts.ChartStyle.Install();
        }
    }

    private static Assembly? ResolveFSharpCore(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "FSharp.Core"
            ? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            : null;
}
