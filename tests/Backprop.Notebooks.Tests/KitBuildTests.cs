namespace Backprop.Notebooks.Tests;

/// <summary>The stale-kit check (lib/Backprop.Kit/KitBuild.cs): each library against its own inputs, on a made-up kit layout.</summary>
public sealed class KitBuildTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("backprop-kitbuild-").FullName;
    private readonly DateTime _t0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    public KitBuildTests()
    {
        Write("lib/kit.props", """
            <Project>
              <PropertyGroup><KitOutputFolder>artifacts/kit</KitOutputFolder></PropertyGroup>
              <ItemGroup><KitLibrary Include="Core" /><KitLibrary Include="Extra" /></ItemGroup>
            </Project>
            """, minutes: 0);
        Write("lib/Core/Core.csproj", "<Project />", minutes: 1);
        Write("lib/Core/Net.cs", "// core", minutes: 1);
        Write("lib/Extra/Extra.csproj", "<Project />", minutes: 1);
        Write("lib/Extra/Charts.cs", "// extra", minutes: 1);
        Write("lib/Backprop.Kit/Backprop.Kit.csproj", "<Project />", minutes: 1);
        Write("artifacts/kit/Core.dll", "", minutes: 5);
        Write("artifacts/kit/Extra.dll", "", minutes: 5);
        Write("artifacts/kit/setup.csx", "", minutes: 5);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_kit_built_after_its_sources_is_up_to_date() =>
        Assert.Empty(KitBuild.StaleParts(_root));

    [Fact]
    public void After_a_build_that_rewrote_only_one_library_the_kit_is_up_to_date()
    {
        // A checkout touched Core only; the build rewrote Core.dll and left Extra.dll (older than Net.cs now) alone.
        Touch("lib/Core/Net.cs", minutes: 10);
        Touch("artifacts/kit/Core.dll", minutes: 11);

        Assert.Empty(KitBuild.StaleParts(_root));
    }

    [Fact]
    public void A_library_older_than_one_of_its_own_sources_is_stale_and_named()
    {
        Touch("lib/Extra/Charts.cs", minutes: 10);

        var stale = Assert.Single(KitBuild.StaleParts(_root));
        Assert.StartsWith("Extra: ", stale, StringComparison.Ordinal);
        Assert.Contains("Charts.cs", stale, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_under_bin_and_obj_and_non_build_files_do_not_count()
    {
        Write("lib/Core/obj/Release/Generated.cs", "", minutes: 10);
        Write("lib/Core/bin/Release/x.cs", "", minutes: 10);
        Write("lib/Core/Data/README.md", "notes", minutes: 10);

        Assert.Empty(KitBuild.StaleParts(_root));
    }

    [Fact]
    public void A_change_to_the_manifest_or_a_missing_DLL_makes_the_kit_stale()
    {
        File.Delete(Path.Combine(_root, "artifacts/kit/Extra.dll"));
        Assert.Equal(["Extra: Extra.dll is missing"], KitBuild.StaleParts(_root));

        Write("artifacts/kit/Extra.dll", "", minutes: 5);
        Touch("lib/kit.props", minutes: 10);
        Assert.Equal(3, KitBuild.StaleParts(_root).Count);
    }

    [Fact]
    public void A_change_to_the_shared_sources_makes_every_part_stale()
    {
        // lib/Shared/WireContract.cs is compiled into kit libraries from outside their folders.
        Write("lib/Shared/WireContract.cs", "// shared", minutes: 1);
        Assert.Empty(KitBuild.StaleParts(_root));

        Touch("lib/Shared/WireContract.cs", minutes: 10);
        var stale = KitBuild.StaleParts(_root);
        Assert.Equal(3, stale.Count);
        Assert.All(stale, s => Assert.Contains("WireContract.cs", s, StringComparison.Ordinal));
    }

    [Fact]
    public void The_libraries_and_output_folder_come_from_the_manifest()
    {
        Assert.Equal(["Core", "Extra"], KitBuild.Libraries(_root));
        Assert.Equal(Path.Combine(_root, "artifacts", "kit"), KitBuild.OutputDirectory(_root));
    }

    private void Write(string relative, string text, int minutes)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        Touch(relative, minutes);
    }

    private void Touch(string relative, int minutes) => File.SetLastWriteTimeUtc(Path.Combine(_root, relative), _t0.AddMinutes(minutes));
}
