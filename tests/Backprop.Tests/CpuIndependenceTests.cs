using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using Xunit.Abstractions;

namespace Backprop.Tests;

/// <summary>
/// A seed gives the same numbers on every machine: the kit's training runs (tests/Backprop.Fingerprint) print the same
/// losses and parameters, bit for bit, with the CPU's 512-bit vectors (AVX-512) in use and with them switched off — the
/// difference between two ordinary x86-64 machines — and with every method compiled fully optimised from the start
/// (no tiered JIT). The program itself runs everything three times and fails if a later pass differs from the first.
/// (TensorPrimitives.Sum, whose order follows the vector width, once made the machines differ, and a lesson's Markdown
/// then quoted losses a student on the other kind of machine did not see; TensorPrimitives.Tanh once gave the same
/// inputs other last bits from one call to the next, and a quasi-Newton run from a fixed seed took another path.)
/// </summary>
public sealed class CpuIndependenceTests(ITestOutputHelper output)
{
    [Fact]
    public void Training_gives_the_same_bits_with_and_without_AVX_512_and_without_tiered_JIT()
    {
        var wide = Fingerprint([]);
        var narrow = Fingerprint([("DOTNET_EnableAVX512", "0"), ("DOTNET_EnableAVX512F", "0")]);
        var optimised = Fingerprint([("DOTNET_TieredCompilation", "0")]);

        output.WriteLine(Avx512F.IsSupported
            ? "This CPU has AVX-512: the two runs used different vector widths."
            : "This CPU has no AVX-512: both runs used the same instructions (the comparison proves nothing here).");
        output.WriteLine(wide);
        Assert.Contains("sha256", wide, StringComparison.Ordinal);
        Assert.Equal(wide, narrow);
        Assert.Equal(wide, optimised);
    }

    private static string Fingerprint(IEnumerable<(string Name, string Value)> environment)
    {
        // tests/Backprop.Tests/bin/<configuration>/<framework>/ → tests/Backprop.Fingerprint/bin/<configuration>/<framework>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
        var program = Path.Combine(tests, "Backprop.Fingerprint", "bin", configuration, framework, "Backprop.Fingerprint.dll");
        Assert.True(File.Exists(program), $"{program} is missing: build the solution first.");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the fingerprint program ran past 2 minutes");
        Assert.True(process.ExitCode == 0, $"the fingerprint program failed (exit code {process.ExitCode}): {errors.Result}");
        return text.Result;
    }
}
