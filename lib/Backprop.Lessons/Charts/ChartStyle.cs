using System.Runtime.CompilerServices;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace Backprop.Lessons.Charts;

/// <summary>
/// The look every chart of the kit shares, set once on Plotly.NET's default template: tick labels on every axis
/// as powers of ten (10⁻⁶, not 1µ), and axis margins that grow to fit their titles and tick labels.
/// </summary>
/// <remarks>
/// <see cref="NotebookSupport.Install"/> calls <see cref="Install"/>; a program that draws the kit's charts outside a
/// notebook calls it once itself. Plotly.NET applies its default template when it writes a chart's HTML, so the
/// style reaches every chart however it was built.
/// </remarks>
public static class ChartStyle
{
    private static int s_installed;

    /// <summary>Sets the shared style on Plotly.NET's default template (once per process; calling again does nothing).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]   // touches Plotly.NET types: JIT-compiled only after the FSharp.Core fix is in place
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) != 0)
        {
            return;
        }

        Layout layout = Defaults.DefaultTemplate.TryGetTypedPropertyValue<Layout>("layout").Value;
        foreach (string name in (string[])["xaxis", "yaxis"])
        {
            LinearAxis axis = layout.TryGetTypedPropertyValue<LinearAxis>(name).Value;
            axis.SetProperty("exponentformat", "power");   // log axes read 10⁻⁴, 10⁻², 1, not 100μ or 10n
            axis.SetProperty("automargin", true);          // titles and tick labels are never clipped
        }
    }
}
