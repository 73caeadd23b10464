using System.Diagnostics;
using Backprop.Course.Sandboxing;

namespace Backprop.Notebooks.Tests;

/// <summary>The parts the sandbox is built from, each alone (no engine): bash quoting, what another user can reach, the process killer.</summary>
public sealed class SandboxingPartsTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("backprop-sandboxing-parts-").FullName;

    public void Dispose()
    {
        UnixFiles.SetMode(_scratch, UnixFiles.Mode(0b111_000_000));
        Directory.Delete(_scratch, recursive: true);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("it's")]
    [InlineData("'; rm -rf / #")]
    [InlineData("$HOME `id` $(id) \"q\" \\ * ? [a] {b,c} ~")]
    [InlineData("line\nbreak\ttab")]
    [InlineData("")]
    public void Shell_Word_quotes_any_word_so_bash_reads_it_back_unchanged(string word)
    {
        var outcome = ChildProcess.Run("bash", ["-c", "printf %s " + Shell.Word(word)], TimeSpan.FromSeconds(30));
        Assert.Equal(word, outcome.Output);
    }

    [Fact]
    public void FirstHiddenAncestor_names_the_first_folder_other_users_cannot_enter_or_the_file_they_cannot_read()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_scratch, "inner")).FullName;
        var file = Path.Combine(folder, "engine.dll");
        File.WriteAllText(file, "x");
        UnixFiles.SetMode(_scratch, UnixFiles.Mode(0b111_101_101));
        UnixFiles.SetMode(folder, UnixFiles.Mode(0b111_000_000));
        UnixFiles.SetMode(file, UnixFiles.Mode(0b110_100_100));
        Assert.Equal(folder, UnixFiles.FirstHiddenAncestor(file));

        UnixFiles.SetMode(folder, UnixFiles.Mode(0b111_101_101));
        Assert.Null(UnixFiles.FirstHiddenAncestor(file));

        UnixFiles.SetMode(file, UnixFiles.Mode(0b110_000_000));
        Assert.Equal(file, UnixFiles.FirstHiddenAncestor(file));
    }

    [Fact]
    public void KillAll_kills_every_process_that_carries_the_sandbox_mark_and_no_other()
    {
        var marker = Guid.NewGuid().ToString("N");
        Process Start(string mark)
        {
            var start = new ProcessStartInfo("sleep", "97") { RedirectStandardInput = true };
            start.Environment[KernelProcesses.MarkVariable] = mark;
            return Process.Start(start)!;
        }

        using var marked = Start(marker);
        using var other = Start(Guid.NewGuid().ToString("N"));
        try
        {
            Assert.True(KernelProcesses.Marked(marked.Id, marker));
            Assert.False(KernelProcesses.Marked(other.Id, marker));
            KernelProcesses.KillAll(pid => KernelProcesses.Marked(pid, marker));
            Assert.True(marked.WaitForExit(10_000), "the marked process survived");
            Assert.False(other.HasExited, "a process without the mark was killed");
        }
        finally
        {
            other.Kill();
            marked.Kill();
        }
    }
}
