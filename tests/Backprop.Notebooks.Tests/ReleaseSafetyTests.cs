using System.Security.Cryptography;
using Backprop.Course.Cli;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// `release` never destroys files: outputs that resolve into the repository (through links too), files and
/// system folders are refused with a one-line error and a non-zero exit code, and nothing is modified; with --force, a
/// student's edited notebook is kept as a backup.
/// </summary>
public sealed class ReleaseSafetyTests : IDisposable
{
    private static readonly string s_root = Course.Kit.RepositoryRoot(AppContext.BaseDirectory);
    private readonly string _scratch = Directory.CreateTempSubdirectory("backprop-release-safety-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    public static TheoryData<string, string> Refused() => new()
    {
        { "link to notebooks/", "inside the kit's repository" },
        { "link to the repository root", "inside the kit's repository" },
        { "inside lib/", "inside the kit's repository" },
        { "a file", "that is a file, not a folder" },
        { "/proc/foo", "system folder" },
        { "/sys/kernel/foo", "system folder" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Release_refuses_the_output_with_one_line_and_modifies_nothing(string output, string message)
    {
        var path = output switch
        {
            "link to notebooks/" => Link("to-notebooks", Path.Combine(s_root, "notebooks")),
            "link to the repository root" => Link("to-root", s_root),
            "inside lib/" => Path.Combine(s_root, "lib", "Backprop", "x"),
            "a file" => WriteFile("a-file.txt"),
            _ => output,
        };
        var before = Hashes();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await Program.RunAsync(["release", "--output", path, "--force"], s_root, stdout, stderr);

        Assert.Equal(2, exit);
        var error = stderr.ToString().TrimEnd();
        Assert.Single(error.Split('\n'));
        Assert.StartsWith("error: --output ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(before, Hashes());
        Assert.False(Directory.Exists(Path.Combine(s_root, "lib", "Backprop", "x")));
        if (output == "a file")
        {
            Assert.Equal("keep me", File.ReadAllText(path));
        }
    }

    [Fact]
    public void Release_through_a_link_to_a_fresh_folder_writes_the_release_there()
    {
        // The tests' shared release is written with `release --output LINK`, LINK a link to a fresh folder (the fixture fails on a non-zero exit).
        var kit = EngineFixture.Shared;
        var real = kit.ReleaseRoot;

        Assert.Equal(real, new DirectoryInfo(kit.ReleaseLink).LinkTarget);
        Assert.True(File.Exists(Path.Combine(real, "notebooks", "01-forward-propagation.ipynb")));
        Assert.True(File.Exists(Path.Combine(real, KitBuild.Manifest)));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(real)!, ".*release-*"));
    }

    [Fact]
    public async Task Release_force_keeps_a_students_edited_notebook_as_a_backup_and_says_so()
    {
        var output = Path.Combine(_scratch, "release");
        Assert.Equal(0, await Program.RunAsync(["release", "--output", output], s_root, TextWriter.Null, TextWriter.Null));
        var notebook = Path.Combine(output, "notebooks", "01-forward-propagation.ipynb");
        var released = File.ReadAllText(notebook);
        var edited = released.Replace("not attempted yet", "my own work", StringComparison.Ordinal);
        File.WriteAllText(notebook, edited);
        var stdout = new StringWriter();

        Assert.Equal(0, await Program.RunAsync(["release", "--output", output, "--force"], s_root, stdout, TextWriter.Null));

        Assert.Equal(released, File.ReadAllText(notebook));
        var backup = Assert.Single(Directory.GetFiles(Path.Combine(output, "notebooks"), "01-forward-propagation.ipynb.bak-*"));
        Assert.Matches(@"\.bak-[0-9]{8}T[0-9]{6}Z$", backup);
        Assert.Equal(edited, File.ReadAllText(backup));
        Assert.Contains($"kept notebooks/{Path.GetFileName(backup)}: notebooks/01-forward-propagation.ipynb differed from the release", stdout.ToString(), StringComparison.Ordinal);
        // Unchanged files get no backup.
        Assert.Single(Directory.GetFiles(output, "*.bak-*", SearchOption.AllDirectories));
    }

    private string Link(string name, string target)
    {
        var path = Path.Combine(_scratch, name);
        Directory.CreateSymbolicLink(path, target);
        return path;
    }

    private string WriteFile(string name)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, "keep me");
        return path;
    }

    /// <summary>A hash of every file of the instructor's notebooks and the kit's sources (bin/ and obj/ excepted).</summary>
    private static Dictionary<string, string> Hashes() =>
        new[] { "notebooks", "lib" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(s_root, d), "*", SearchOption.AllDirectories))
            .Where(f => !Path.GetRelativePath(s_root, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .ToDictionary(f => Path.GetRelativePath(s_root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
