namespace Backprop.Lessons.Tests;

public sealed class SourceListingTests
{
    private static string Write(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"source-listing-{Guid.NewGuid():N}.cs");
        File.WriteAllText(path, text);
        return path;
    }

    private const string Source = """
        public sealed class C
        {
            /// <summary>Adds.</summary>
            public int Add(int a, int b)
            {
                if (a > 0) { return a + b; }
                return b + a;
            }

            public int Other() => 1;
        }
        """;

    [Fact]
    public void Finds_the_method_by_its_signature_up_to_its_closing_brace()
    {
        string path = Write(Source);
        Assert.Equal(
            ["public int Add(int a, int b)", "{", "    if (a > 0) { return a + b; }", "    return b + a;", "}"],
            SourceListing.Method(path, "int Add("));
        Assert.Equal("/// <summary>Adds.</summary>", SourceListing.Method(path, "int Add(", withDocComment: true)[0]);
        Assert.Equal(["public int Other() => 1;"], SourceListing.Method(path, "Other()"));
    }

    [Fact]
    public void Rejects_a_missing_file_and_a_signature_found_zero_or_several_times()
    {
        string path = Write(Source);
        Assert.Contains("found 0", Assert.ThrowsAny<ArgumentException>(() => SourceListing.Method(path, "Missing(")).Message);
        Assert.Contains("found 2", Assert.ThrowsAny<ArgumentException>(() => SourceListing.Method(path, "public int")).Message);
        Assert.ThrowsAny<ArgumentException>(() => SourceListing.Method(path + ".none", "Add("));
    }

    [Fact]
    public void Finds_the_kits_readable_backward_pass()
    {
        string mlp = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "lib", "Backprop", "Mlp.cs");
        var lines = SourceListing.Method(mlp, "public Gradients Backward(");
        Assert.Contains(lines, l => l.Contains("DerivativeFromOutput", StringComparison.Ordinal));
        Assert.Equal("}", lines[^1]);
    }
}
