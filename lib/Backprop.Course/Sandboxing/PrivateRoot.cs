namespace Backprop.Course.Sandboxing;

/// <summary>
/// The root of its own a kernel gets where bubblewrap does not work but root may mount (unshare as root): what bubblewrap
/// would show, built by a bash script in the kernel's fresh mount namespace, then chroot.
/// </summary>
internal static class PrivateRoot
{
    /// <summary>The system folders a kernel sees (read-only), where they exist.</summary>
    public static IEnumerable<string> SystemFolders() => new[] { "/usr", "/etc", "/bin", "/lib", "/lib64", "/sbin" }.Where(Path.Exists);

    /// <summary>
    /// A bash script, run as root in a fresh mount namespace with the new root's folder and a command as its arguments,
    /// that mounts a root of its own there — <paramref name="readOnly"/> (links kept as links), a fresh /proc, the harmless
    /// devices, an empty /tmp and /dev/shm, the box (its kit copy read-only) — and runs the command chrooted in it: what
    /// bubblewrap shows a kernel, where bubblewrap does not work but root may mount. Nothing mounted leaves the namespace.
    /// </summary>
    public static string Script(IEnumerable<string> readOnly, string box)
    {
        var folders = string.Join(' ', readOnly.Distinct(StringComparer.Ordinal).Select(Shell.Word));
        return $$"""
            set -e
            root=$1; shift
            mount -t tmpfs -o mode=0755,size=16m backprop-root "$root"
            # The empty temp folders first: a folder bound below may lie in one (the engine, the box).
            mkdir -p "$root/proc" "$root/dev/shm" "$root/tmp"
            mount -t tmpfs -o mode=1777,size=256m backprop-tmp "$root/tmp"
            mount -t tmpfs -o mode=1777,size=64m backprop-shm "$root/dev/shm"
            for d in {{folders}}; do
              if [ -L "$d" ]; then mkdir -p "$root$(dirname "$d")"; ln -s "$(readlink "$d")" "$root$d"
              elif [ -d "$d" ]; then mkdir -p "$root$d"; mount --rbind "$d" "$root$d"; mount -o remount,bind,ro "$root$d"; fi
            done
            mount -t proc proc "$root/proc"
            for n in null zero full random urandom; do touch "$root/dev/$n"; mount --bind "/dev/$n" "$root/dev/$n"; done
            box={{Shell.Word(box)}}
            mkdir -p "$root$box"
            mount --bind "$box" "$root$box"
            mount --bind "$box/artifacts" "$root$box/artifacts"
            mount -o remount,bind,ro "$root$box/artifacts"
            exec chroot "$root" "$@"

            """;
    }

    /// <summary>Whether <see cref="Script"/> works here (tried in a throwaway namespace with an empty box).</summary>
    public static bool Works()
    {
        var probe = Directory.CreateTempSubdirectory("backprop-probe-").FullName;
        try
        {
            var box = Path.Combine(probe, "box");
            Directory.CreateDirectory(Path.Combine(box, "artifacts"));
            Directory.CreateDirectory(Path.Combine(probe, "root"));
            var script = Path.Combine(probe, "private-root.sh");
            File.WriteAllText(script, Script(SystemFolders(), box));
            return ChildProcess.Run("unshare", ["--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--", "bash", script, Path.Combine(probe, "root"), "/usr/bin/test", "-d", box + "/artifacts"],
                TimeSpan.FromMinutes(1)).Succeeded;
        }
        finally
        {
            UnixFiles.DeleteQuietly(probe);
        }
    }
}
