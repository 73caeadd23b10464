using System.Globalization;
using System.Runtime.InteropServices;

namespace Backprop.Course.Sandboxing;

/// <summary>
/// Finds and kills what a kernel started, wherever it went: by process group, by the kernel's own user, by the sandbox's
/// mark in a process's environment; and removes what the kernel's user left in the shared temp folders.
/// </summary>
internal static partial class KernelProcesses
{
    /// <summary>The environment variable that marks every process of one sandbox's kernel.</summary>
    public const string MarkVariable = "BACKPROP_SANDBOX";

    /// <summary>The folders every user may write to, where a kernel's user may leave files: cleaned when its sandbox goes.</summary>
    private static readonly string[] s_sharedTempFolders = ["/tmp", "/var/tmp", "/dev/shm", "/run/lock"];

    /// <summary>Kills (SIGKILL) a whole process group.</summary>
    public static void KillGroup(int group) => _ = Kill(-group, 9);

    /// <summary>The ids of the live processes (from /proc).</summary>
    public static IEnumerable<int> Processes() => Directory.EnumerateDirectories("/proc")
        .Select(Path.GetFileName)
        .Where(n => n is { Length: > 0 } && n.All(char.IsAsciiDigit))
        .Select(n => int.Parse(n!, CultureInfo.InvariantCulture));

    /// <summary>The real, effective, saved and file-system user ids of a live process that is not a zombie (empty when it is gone or a zombie).</summary>
    public static int[] Uids(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            if (status.Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal)))
            {
                return [];
            }

            return status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(u => int.Parse(u, CultureInfo.InvariantCulture)).ToArray() ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static bool OwnedBy(int pid, int uid) => Uids(pid).Contains(uid);

    /// <summary>Whether a process's environment (as it was started) carries <paramref name="marker"/>.</summary>
    public static bool Marked(int pid, string marker)
    {
        try
        {
            return pid != Environment.ProcessId && File.ReadAllText($"/proc/{pid}/environ").Contains($"{MarkVariable}={marker}\0", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Kills (SIGKILL) every live process any of <paramref name="tests"/> picks, again and again until none is left (a fork between two sweeps is caught by the next).</summary>
    public static void KillAll(params Func<int, bool>?[] tests)
    {
        var picks = tests.OfType<Func<int, bool>>().ToArray();
        for (var sweep = 0; sweep < 200; sweep++)
        {
            var found = Processes().Where(pid => pid != Environment.ProcessId && picks.Any(t => t(pid))).ToList();
            if (found.Count == 0)
            {
                return;
            }

            foreach (var pid in found)
            {
                _ = Kill(pid, 9);
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>
    /// Removes what the kernel's user <paramref name="uid"/> left in the folders every user may write to, at any depth (a
    /// world-writable folder inside them, such as .NET's /tmp/.dotnet/shm, included); the sandbox's own folder
    /// (<paramref name="sandboxRoot"/>) is left to its Dispose.
    /// </summary>
    public static void RemoveFilesOf(int uid, string sandboxRoot)
    {
        // find tests the owner without following links (lstat), on these file systems only; a folder of the user's is removed whole.
        var arguments = s_sharedTempFolders.Where(Directory.Exists)
            .Concat(["-xdev", "(", "-path", sandboxRoot, "-prune", ")", "-o", "(", "-user", uid.ToString(CultureInfo.InvariantCulture), "-print0", "-prune", ")"]);
        var found = ChildProcess.Run("find", arguments, TimeSpan.FromMinutes(5)).Output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var entry in found)
        {
            try
            {
                // A link is removed itself, never followed; a folder with everything in it.
                if (new FileInfo(entry).LinkTarget is null && Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
