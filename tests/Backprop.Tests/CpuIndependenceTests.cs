using System.Diagnostics;
using Xunit.Abstractions;

namespace Backprop.Tests;

/// <summary>
/// A seed gives the same numbers on every CPU: the kit's training runs (tests/Backprop.Fingerprint: every optimiser, the
/// runs lessons 07 and 08 quote, batched passes) print the same losses and parameters, bit for bit, whichever vector
/// instructions the runtime may use — AVX-512, AVX2 with FMA, 128-bit vectors with FMA (ARM64's NEON width), SSE2
/// without FMA, none at all — and with every method compiled fully optimised from the start (no tiered JIT). The program
/// itself runs everything three times and fails if a later pass differs from the first. (TensorPrimitives.Sum, whose
/// order follows the vector width, once made AVX-512 machines differ; TensorPrimitives.Tanh once gave the same inputs
/// other last bits from one call to the next; the packed matrix product's fused multiply-adds and Vector256.Exp once
/// made every CPU without AVX2 print other numbers in lesson 08.)
/// </summary>
/// <remarks>
/// Each switch is checked to have taken effect (the program reports the instruction sets it may use on standard
/// error), so a runtime that renamed a switch fails here instead of comparing a run with itself. Not covered: the C
/// library behind Math.Exp, Log, Sin, Cos, Tanh and Pow (the logistic and ELU units, softmax, the initial weights, the
/// curves' data, single-sample tanh), which glibc computes with other code on CPUs without FMA:
/// GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA gives other bits for all six, and 14 of the fingerprint's 23 lines differ.
/// </remarks>
public sealed class CpuIndependenceTests(ITestOutputHelper output)
{
    /// <summary>A run of the program: its environment, and a part of the instruction-set report it must show.</summary>
    private static readonly (string Name, (string Variable, string Value)[] Environment, string[] Expected)[] Runs =
    [
        ("default", [], []),
        ("no AVX-512", [("DOTNET_EnableAVX512", "0"), ("DOTNET_EnableAVX512F", "0")], ["Vector512 False", "AVX-512F False"]),
        ("128-bit vectors (ARM64's width)", [("DOTNET_PreferredVectorBitWidth", "128")], ["Vector512 False", "Vector256 False"]),
        ("no AVX2, no FMA", [("DOTNET_EnableAVX2", "0")], ["Vector256 False", "AVX2 False", "FMA False"]),
        ("SSE2 only", [("DOTNET_EnableSSE42", "0")], ["Vector256 False", "FMA False", "SSE4.1 False"]),
        ("no hardware intrinsics", [("DOTNET_EnableHWIntrinsic", "0")], ["Vector128 False", "FMA False"]),
        ("no tiered JIT", [("DOTNET_TieredCompilation", "0")], []),
    ];

    [Fact]
    public async Task Training_gives_the_same_bits_with_every_instruction_set_and_without_tiered_JIT()
    {
        // All runs at once: each is one process, so the test takes about as long as the slowest (no-FMA) run on a free core.
        var results = await Task.WhenAll(Runs.Select(run => Fingerprint(run.Environment)));

        var (reference, referenceSets) = results[0];
        output.WriteLine(reference);
        Assert.Contains("sha256", reference, StringComparison.Ordinal);
        for (int i = 0; i < Runs.Length; i++)
        {
            var (name, environment, expected) = Runs[i];
            var (text, sets) = results[i];
            output.WriteLine($"{name}: {sets}");
            foreach (var part in expected)
            {
                Assert.True(
                    sets.Contains(part, StringComparison.Ordinal),
                    $"With {string.Join(", ", environment.Select(e => $"{e.Variable}={e.Value}"))} the runtime still reports '{sets}', not '{part}': the switch did nothing.");
            }

            Assert.True(text == reference, $"The run with {name} printed{Environment.NewLine}{text}{Environment.NewLine}where the default run printed{Environment.NewLine}{reference}");
        }

        if (referenceSets.Contains("AVX-512F False", StringComparison.Ordinal) || referenceSets.Contains("FMA False", StringComparison.Ordinal))
        {
            output.WriteLine("This CPU lacks AVX-512 or FMA: some runs used the same instructions as the default one.");
        }
    }

    /// <summary>Runs the fingerprint program with the given environment: its standard output and its instruction-set report.</summary>
    private static async Task<(string Text, string Sets)> Fingerprint(IEnumerable<(string Name, string Value)> environment)
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the fingerprint program ran past 5 minutes");
        }

        var report = await errors;
        Assert.True(process.ExitCode == 0, $"the fingerprint program failed (exit code {process.ExitCode}): {report}");
        var sets = report.Split('\n').FirstOrDefault(line => line.StartsWith("instruction sets:", StringComparison.Ordinal))?.Trim();
        Assert.True(sets is not null, $"the fingerprint program did not report its instruction sets: {report}");
        return (await text, sets);
    }
}
