using System.Globalization;

namespace Backprop.Course.Sandboxing;

/// <summary>
/// The user ids kernels run as when the grader is root and bubblewrap does not work: one per sandbox, from
/// <see cref="FirstUid"/> on, held by a lock file for as long as the sandbox lives.
/// </summary>
internal static class KernelUsers
{
    /// <summary>The most processes and threads a kernel's own user may have at once (RLIMIT_NPROC; the engine runs about 40 threads).</summary>
    public const int ProcessLimit = 512;

    /// <summary>The largest file a kernel's own user may write (RLIMIT_FSIZE): 256 MiB.</summary>
    public const long FileSizeLimitBytes = 256L << 20;

    /// <summary>The first of the user ids the grader gives kernels when it runs as root (one per sandbox; no entry in /etc/passwd needed).</summary>
    public const int FirstUid = 64000;

    /// <summary>How many kernel user ids there are, so how many sandboxes can exist at once as root.</summary>
    public const int UidCount = 100;

    private static readonly Dictionary<int, FileStream> s_uidLocks = [];

    /// <summary>
    /// A user id of the kernel-user range that no account, no group, no process and no other sandbox uses — of this grader
    /// or of another grader process on the machine: each sandbox holds a lock file for its id (in a folder only root may
    /// enter) as long as it lives, so no two kernels ever share a user (they could read each other's folders, and killing
    /// one's processes would kill the other).
    /// </summary>
    public static int Allocate()
    {
        var accounts = Ids("/etc/passwd").Concat(Ids("/etc/group")).ToHashSet();
        var running = KernelProcesses.Processes().Select(p => KernelProcesses.Uids(p)).SelectMany(u => u).ToHashSet();
        var locks = Directory.Exists("/run") ? "/run/backprop-grader" : Path.Combine(Path.GetTempPath(), "backprop-grader-uids");
        Directory.CreateDirectory(locks);
        UnixFiles.SetMode(locks, UnixFiles.Mode(0b111_000_000));
        lock (s_uidLocks)
        {
            for (var uid = FirstUid; uid < FirstUid + UidCount; uid++)
            {
                if (accounts.Contains(uid) || running.Contains(uid) || s_uidLocks.ContainsKey(uid))
                {
                    continue;
                }

                try
                {
                    // FileShare.None takes an exclusive lock (flock) that another process's attempt fails on.
                    s_uidLocks[uid] = new FileStream(Path.Combine(locks, $"uid-{uid}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return uid;
                }
                catch (IOException)
                {
                }
            }
        }

        throw new CourseException($"no free user id for a kernel: all of {FirstUid}–{FirstUid + UidCount - 1} are in use (by accounts, running processes or other sandboxes).");

        static IEnumerable<int> Ids(string file) => File.Exists(file)
            ? File.ReadLines(file).Select(l => l.Split(':')).Where(f => f.Length > 2 && int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out _)).Select(f => int.Parse(f[2], CultureInfo.InvariantCulture))
            : [];
    }

    /// <summary>Gives <paramref name="uid"/> back (its lock file is released).</summary>
    public static void Release(int uid)
    {
        lock (s_uidLocks)
        {
            if (s_uidLocks.Remove(uid, out var held))
            {
                held.Dispose();
            }
        }
    }
}
