using System.Text.RegularExpressions;

namespace Backprop.Tests;

/// <summary>
/// The fast path's wall, read from the source: the kernels name nothing above them, the batched passes validate nothing
/// (BatchPath does, before and after), and the lecture's Mlp reaches the fast path only through BatchPath.
/// </summary>
public sealed class LayeringTests
{
    private static readonly string Library = Path.Combine(RepositoryRoot(), "lib", "Backprop");

    [Fact]
    public void No_kernel_names_a_type_above_the_kernels()
    {
        string[] above = ["NetworkChecks", "Guard", "Mlp", "Layer", "Activation", "ActivationKind", "Loss", "BatchPath", "BatchPasses", "BatchForwardPass", "BatchGradients"];
        string[] files = Directory.GetFiles(Path.Combine(Library, "Kernels"), "*.cs");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            foreach (string name in above)
            {
                Assert.False(Regex.IsMatch(text, $@"\b{name}\b"), $"{Path.GetFileName(file)} names {name}, which sits above the kernels.");
            }
        }
    }

    [Fact]
    public void The_batched_passes_check_nothing_and_Mlp_reaches_them_only_through_BatchPath()
    {
        string passes = File.ReadAllText(Path.Combine(Library, "Batched", "BatchPasses.cs"));
        Assert.DoesNotMatch(new Regex(@"\b(NetworkChecks|Guard)\b"), passes);

        string mlp = File.ReadAllText(Path.Combine(Library, "Mlp.cs"));
        Assert.DoesNotMatch(new Regex(@"\b(BatchPasses|Gemm|Elementwise|Kernels)\b"), mlp);
        Assert.Matches(new Regex(@"\bBatchPath\b"), mlp);
    }

    /// <summary>tests/Backprop.Tests/bin/&lt;configuration&gt;/&lt;framework&gt;/ → the repository root.</summary>
    private static string RepositoryRoot()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
    }
}
