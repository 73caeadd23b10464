using System.Globalization;
using System.Runtime.InteropServices;

namespace Backprop.Course;

/// <summary>
/// The throwaway folder one submission runs in, and the confined kernel it runs in:
/// <c>box/notebooks</c> (the kernel's working folder, empty), <c>box/artifacts/kit</c> (a read-only copy of the
/// verified kit, so the setup cell's <c>#load "../artifacts/kit/setup.csx"</c> finds it), <c>box/home</c> and
/// <c>box/tmp</c>; and, outside the box where the kernel cannot see it, the launch script and the files in
/// which the script records the kernel's process group and exit code.
/// The kernel runs in a process group (and, where the machine allows it, namespaces) of its own, with a
/// managed-heap limit, a clean environment and no network; a watchdog in its group kills the group when
/// the grader is gone, and <see cref="Dispose"/> kills the group and deletes the folder.
/// Where bubblewrap does not work and the grader runs as root, the kernel runs as an unprivileged user of its own
/// (<see cref="KernelUid"/>, one per sandbox) with process, file-size and address-space limits: the sandbox's root is
/// 0711 (enter, not list), the control folder 0700, the box's working folders belong to that user and are 0700, the kit
/// copy is root's and read-only; every process of that user is killed and its files in the shared temp folders removed
/// when the kernel stops (a <c>setsid</c> child included).
/// <see cref="Unconfined"/> makes the launcher the <c>run</c> verb uses: no confinement, but the same record of the
/// kernel's exit, so a kernel that exits is reported at once.
/// </summary>
internal sealed partial class Sandbox : IDisposable
{
    /// <summary>The managed-heap limit of a kernel unless told otherwise: 2 GiB.</summary>
    public const long DefaultMemoryLimitBytes = 2L << 30;

    /// <summary>The most processes and threads a kernel's own user may have at once (RLIMIT_NPROC; the engine runs about 40 threads).</summary>
    public const int ProcessLimit = 512;

    /// <summary>The largest file a kernel's own user may write (RLIMIT_FSIZE): 256 MiB.</summary>
    public const long FileSizeLimitBytes = 256L << 20;

    /// <summary>The first of the user ids the grader gives kernels when it runs as root (one per sandbox; no entry in /etc/passwd needed).</summary>
    public const int FirstKernelUid = 64000;

    /// <summary>How many kernel user ids there are, so how many sandboxes can exist at once as root.</summary>
    public const int KernelUidCount = 100;

    /// <summary>The folders every user may write to, where a kernel's user may leave files: cleaned when its sandbox goes.</summary>
    private static readonly string[] s_sharedTempFolders = ["/tmp", "/var/tmp", "/dev/shm", "/run/lock"];

    private static readonly Dictionary<int, FileStream> s_uidLocks = [];
    private static readonly Dictionary<string, string> s_engineCopies = new(StringComparer.Ordinal);

    private readonly string _root;
    private readonly string? _workingFolder;
    private readonly string _marker = Guid.NewGuid().ToString("N");
    private int _generation;

    private Sandbox(string root, ConfinementKind confinement, long memoryLimitBytes, string? workingFolder = null)
    {
        _root = root;
        _workingFolder = workingFolder;
        Confinement = confinement;
        MemoryLimitBytes = memoryLimitBytes;
    }

    public ConfinementKind Confinement { get; }

    public long MemoryLimitBytes { get; }

    /// <summary>False for the <c>run</c> verb's launcher (<see cref="Unconfined"/>): the kernel runs as the caller, in the caller's folder.</summary>
    public bool IsConfined => _workingFolder is null;

    /// <summary>The user id the kernel runs as when the grader is root and bubblewrap does not work (null otherwise: bubblewrap's uid 65534, or the grader's own).</summary>
    public int? KernelUid { get; private set; }

    /// <summary>Everything the kernel may see of the file system besides the system and the engine.</summary>
    public string Box => Path.Combine(_root, "box");

    /// <summary>The kernel's working folder.</summary>
    public string NotebookFolder => _workingFolder ?? Path.Combine(Box, "notebooks");

    public string KitFolder => Path.Combine(Box, "artifacts", "kit");

    private string Control => Path.Combine(_root, "control");

    /// <summary>A Unix mode from its permission bits, written in binary by owner, group and others: 0b111_101_101 is 0755.</summary>
    private static UnixFileMode Mode(int bits) => (UnixFileMode)bits;

    /// <summary>Makes a fresh sandbox holding a verified copy of <paramref name="kit"/>.</summary>
    public static Sandbox Create(KitImage kit, ConfinementKind? confinement = null, long memoryLimitBytes = DefaultMemoryLimitBytes)
    {
        var root = Directory.CreateTempSubdirectory("backprop-grade-").FullName;
        var sandbox = new Sandbox(root, confinement ?? Course.Confinement.Best, memoryLimitBytes);
        try
        {
            var own = new[] { sandbox.NotebookFolder, Path.Combine(sandbox.Box, "home"), Path.Combine(sandbox.Box, "tmp") };
            foreach (var folder in own.Append(sandbox.Control))
            {
                Directory.CreateDirectory(folder);
            }

            // The box belongs to the sandbox's unprivileged user (bubblewrap maps it onto the grader's); the control folder to the grader only.
            SetMode(sandbox.Control, Mode(0b111_000_000));
            kit.WriteTo(sandbox.KitFolder);
            if (sandbox.Confinement != ConfinementKind.Bubblewrap && Course.Confinement.DropsPrivileges)
            {
                sandbox.KernelUid = AllocateUid();
                // Root's: the sandbox's root may be entered but not listed, the box and the kit copy read; the kernel's user owns only its working folders.
                SetMode(root, Mode(0b111_001_001));
                SetMode(sandbox.Box, Mode(0b111_101_101));
                SetMode(Path.GetDirectoryName(sandbox.KitFolder)!, Mode(0b111_101_101));
                foreach (var folder in own)
                {
                    Chown(folder, sandbox.KernelUid.Value);
                    SetMode(folder, Mode(0b111_000_000));
                }

                if (FirstHiddenAncestor(sandbox.Box) is { } hidden)
                {
                    throw new CourseException($"the kernel's user cannot reach the sandbox in {root}: {hidden} may not be entered by other users; set TMPDIR to a folder every user may enter, such as /tmp.");
                }
            }

            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The launcher of the <c>run</c> verb: the kernel runs unconfined, as the caller, in <paramref name="workingFolder"/>, with
    /// the caller's environment; the launch script only records the kernel's process group and exit code (in a folder of its own).
    /// </summary>
    public static Sandbox Unconfined(string workingFolder)
    {
        var root = Directory.CreateTempSubdirectory("backprop-run-").FullName;
        var sandbox = new Sandbox(root, ConfinementKind.ProcessGroup, 0, Path.GetFullPath(workingFolder));
        Directory.CreateDirectory(sandbox.Control);
        return sandbox;
    }

    /// <summary>
    /// The command the engine connector starts for a new kernel: <c>setsid bash launch.sh …</c>. Each call starts a
    /// new generation (a restarted kernel), with its own exit-code and process-group files.
    /// </summary>
    public IReadOnlyList<string> KernelCommand(string toolDll, IReadOnlyList<string> engineArguments)
    {
        KillKernel();
        _generation++;
        var script = Path.Combine(Control, $"launch-{_generation}.sh");
        File.WriteAllText(script, LaunchScript(toolDll, engineArguments));
        return ["setsid", "bash", Quote(script)];
    }

    /// <summary>The current kernel's exit code once it has exited (null while it runs or before it started).</summary>
    public int? KernelExitCode
    {
        get
        {
            var path = Path.Combine(Control, $"exit-{_generation}");
            return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;
        }
    }

    /// <summary>Completes with the kernel's exit code when the current kernel exits.</summary>
    public async Task<int> KernelExitedAsync(CancellationToken cancel)
    {
        while (true)
        {
            if (KernelExitCode is { } code)
            {
                return code;
            }

            await Task.Delay(50, cancel);
        }
    }

    /// <summary>
    /// Kills the current kernel: its whole process group (everything it started, double forks included); then every
    /// process of the kernel's own user (<see cref="KernelUid"/>: whatever left the group with <c>setsid</c>); then every
    /// process that still carries this sandbox's mark in its environment (what left the group where there is no user of its own).
    /// </summary>
    public void KillKernel()
    {
        var path = Path.Combine(Control, $"pgid-{_generation}");
        if (_generation > 0 && File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var group) && group > 1)
        {
            _ = Kill(-group, 9);
        }

        if (_generation > 0)
        {
            KillAll(KernelUid is { } uid ? pid => OwnedBy(pid, uid) : null, pid => Marked(pid, _marker));
        }
    }

    public void Dispose()
    {
        KillKernel();
        if (KernelUid is { } uid)
        {
            RemoveFilesOf(uid);
        }

        try
        {
            // BACKPROP_GRADER_KEEP=1 keeps the folder (and the launch scripts) to look at after grading.
            if (Directory.Exists(_root) && Environment.GetEnvironmentVariable("BACKPROP_GRADER_KEEP") != "1")
            {
                foreach (var dir in Directory.EnumerateDirectories(_root, "*", SearchOption.AllDirectories).Prepend(_root))
                {
                    try
                    {
                        SetMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    }
                    catch (IOException)
                    {
                    }
                }

                Directory.Delete(_root, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A kernel that was just killed may still hold a file for a moment; the folder is in the system temp folder.
        }
        finally
        {
            if (KernelUid is { } used)
            {
                ReleaseUid(used);
                KernelUid = null;
            }
        }
    }

    private string LaunchScript(string toolDll, IReadOnlyList<string> engineArguments)
    {
        var dotnet = DotnetPath();
        var dotnetRoot = Path.GetDirectoryName(dotnet)!;
        // In a private root (unshare as root) the engine's and .NET's folders are bound where they are, with open parents;
        // otherwise the kernel's user reaches them through the real file system, which may close them (root's home).
        if (KernelUid is not null && !(Confinement == ConfinementKind.Unshare && Course.Confinement.CanBuildPrivateRoot))
        {
            if (FirstHiddenAncestor(dotnet) is { } hidden)
            {
                throw new CourseException($"the kernel's user cannot run .NET at {dotnet} ({hidden} is closed to other users); install .NET where every user may read it, such as /usr/share/dotnet.");
            }

            toolDll = ReadableEngine(toolDll);
        }

        var engine = string.Join(' ', new[] { Sh(dotnet), Sh(toolDll) }.Concat(engineArguments.Select(Sh)));
        var control = Sh(Control);
        var generation = _generation.ToString(CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = $"{dotnetRoot}:/usr/bin:/bin",
            ["DOTNET_ROOT"] = dotnetRoot,
            ["HOME"] = Path.Combine(Box, "home"),
            ["DOTNET_CLI_HOME"] = Path.Combine(Box, "home"),
            ["TMPDIR"] = Path.Combine(Box, "tmp"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            // A fresh home: without these the engine prints its first-run banner on stdout, which the connection reads as protocol.
            ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_INTERACTIVE_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_GCHeapHardLimit"] = "0x" + MemoryLimitBytes.ToString("x", CultureInfo.InvariantCulture),
            ["DOTNET_DbgEnableMiniDump"] = "0",
            ["LANG"] = "C.UTF-8",
            // The mark KillKernel looks for in /proc/*/environ: a process that left the group but kept its environment still dies.
            [MarkVariable] = _marker,
        };
        string jail;
        if (!IsConfined)
        {
            // The run verb: the caller's environment and folder; only the mark is added.
            jail = $"export {MarkVariable}={_marker}; cd {Sh(NotebookFolder)} || exit 97; ";
        }
        else if (Confinement == ConfinementKind.Bubblewrap)
        {
            var toolFolder = ToolFolder(toolDll);
            var binds = new List<string> { "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc" };
            foreach (var system in new[] { "/bin", "/lib", "/lib64", "/sbin" })
            {
                if (new DirectoryInfo(system) is { Exists: true } info)
                {
                    binds.AddRange(info.LinkTarget is { } target ? ["--symlink", target, system] : ["--ro-bind", system, system]);
                }
            }

            if (!dotnetRoot.StartsWith("/usr/", StringComparison.Ordinal))
            {
                binds.AddRange(["--ro-bind", dotnetRoot, dotnetRoot]);
            }

            binds.AddRange(["--ro-bind", toolFolder, toolFolder, "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                "--bind", Box, Box, "--ro-bind", Path.Combine(Box, "artifacts"), Path.Combine(Box, "artifacts"),
                "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534", "--die-with-parent", "--new-session", "--clearenv"]);
            foreach (var (name, value) in environment)
            {
                binds.AddRange(["--setenv", name, value]);
            }

            binds.AddRange(["--chdir", NotebookFolder, "--"]);
            jail = "cd " + Sh(NotebookFolder) + " || exit 97\nbwrap " + string.Join(' ', binds.Select(Sh));
        }
        else
        {
            var privateRoot = Confinement == ConfinementKind.Unshare && KernelUid is not null && Course.Confinement.CanBuildPrivateRoot;
            var namespaces = Confinement == ConfinementKind.Unshare
                ? "unshare --net --pid --fork --kill-child --mount --mount-proc -- "
                : KernelUid is not null && Course.Confinement.CanUnshareNetwork ? "unshare --net -- " : "";
            if (privateRoot)
            {
                // In its own mount namespace, as root still: a root of its own holding only what bubblewrap would show, then chroot.
                var script = Path.Combine(Control, $"private-root-{generation}.sh");
                var newRoot = Path.Combine(Control, $"root-{generation}");
                Directory.CreateDirectory(newRoot);
                File.WriteAllText(script, PrivateRootScript(SystemFolders().Append(dotnetRoot).Append(ToolFolder(toolDll)), Box));
                namespaces += $"bash {Sh(script)} {Sh(newRoot)} ";
            }

            var user = "";
            if (KernelUid is { } uid)
            {
                // Limits first (RLIMIT_NPROC counts the processes of the user they are set for: the kernel's own), then the user:
                // no supplementary groups, no capabilities, and no way back up through a setuid program.
                var addressSpace = MemoryLimitBytes + (8L << 30);
                var id = uid.ToString(CultureInfo.InvariantCulture);
                user = $"prlimit --nproc={ProcessLimit} --fsize={FileSizeLimitBytes} --core=0 --as={addressSpace} -- "
                    + $"setpriv --reuid={id} --regid={id} --clear-groups --inh-caps=-all --no-new-privs -- ";
            }

            jail = "cd " + Sh(NotebookFolder) + " || exit 97\n" + namespaces + user + $"env -i -C {Sh(NotebookFolder)} " + string.Join(' ', environment.Select(e => Sh($"{e.Key}={e.Value}")));
        }

        return $$"""
            # Written by the course tool for one kernel. Run as: setsid bash this-file
            # (so this shell leads a process group that holds the kernel and everything it starts).
            echo $$ > {{control}}/pgid-{{generation}}
            # Watchdog: when the course tool is gone, the whole group goes too (no orphan kernel).
            ( while kill -0 {{Environment.ProcessId}} 2>/dev/null; do sleep 0.5; done; kill -KILL 0 ) </dev/null >/dev/null 2>&1 &
            # "$@": what the connector appends (--kernel-host NAME, the name it knows the engine by).
            {{jail}} {{engine}} "$@"
            code=$?
            echo $code > {{control}}/exit-{{generation}}.tmp && mv {{control}}/exit-{{generation}}.tmp {{control}}/exit-{{generation}}
            exit $code

            """;
    }

    /// <summary>The system folders a kernel sees (read-only), where they exist.</summary>
    private static IEnumerable<string> SystemFolders() => new[] { "/usr", "/etc", "/bin", "/lib", "/lib64", "/sbin" }.Where(Path.Exists);

    /// <summary>
    /// A bash script, run as root in a fresh mount namespace with the new root's folder and a command as its arguments,
    /// that mounts a root of its own there — <paramref name="readOnly"/> (links kept as links), a fresh /proc, the harmless
    /// devices, an empty /tmp and /dev/shm, the box (its kit copy read-only) — and runs the command chrooted in it: what
    /// bubblewrap shows a kernel, where bubblewrap does not work but root may mount. Nothing mounted leaves the namespace.
    /// </summary>
    internal static string PrivateRootScript(IEnumerable<string> readOnly, string box)
    {
        var folders = string.Join(' ', readOnly.Distinct(StringComparer.Ordinal).Select(Sh));
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
            box={{Sh(box)}}
            mkdir -p "$root$box"
            mount --bind "$box" "$root$box"
            mount --bind "$box/artifacts" "$root$box/artifacts"
            mount -o remount,bind,ro "$root$box/artifacts"
            exec chroot "$root" "$@"

            """;
    }

    /// <summary>Whether <see cref="PrivateRootScript"/> works here (tried in a throwaway namespace with an empty box).</summary>
    internal static bool PrivateRootWorks()
    {
        var probe = Directory.CreateTempSubdirectory("backprop-probe-").FullName;
        try
        {
            var box = Path.Combine(probe, "box");
            Directory.CreateDirectory(Path.Combine(box, "artifacts"));
            Directory.CreateDirectory(Path.Combine(probe, "root"));
            var script = Path.Combine(probe, "private-root.sh");
            File.WriteAllText(script, PrivateRootScript(SystemFolders(), box));
            return TryRun("unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--", "bash", script, Path.Combine(probe, "root"), "/usr/bin/test", "-d", box + "/artifacts");
        }
        finally
        {
            DeleteQuietly(probe);
        }
    }

    /// <summary>The environment variable that marks every process of one sandbox's kernel.</summary>
    private const string MarkVariable = "BACKPROP_SANDBOX";

    /// <summary>The engine's package folder (…/microsoft.dotnet-interactive/VERSION) of its entry DLL (…/tools/net10.0/any/X.dll).</summary>
    private static string ToolFolder(string toolDll) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(toolDll)!, "..", "..", ".."));

    /// <summary>
    /// The engine's entry DLL where the kernel's user can read it: where it is, when every user may read it there; else in a
    /// copy (root's, read-only to others, made once per process) — the NuGet cache usually lies in root's home, which no other
    /// user may enter. The copy is hard links where the file system allows (instant, no space; the engine's files are
    /// readable by all, only the folders on the way are not), else a real copy. It goes when the process exits; copies left
    /// by a grader that was killed are removed by the next one.
    /// </summary>
    private static string ReadableEngine(string toolDll)
    {
        if (FirstHiddenAncestor(toolDll) is null)
        {
            return toolDll;
        }

        var folder = ToolFolder(toolDll);
        lock (s_engineCopies)
        {
            if (!s_engineCopies.TryGetValue(folder, out var copy))
            {
                RemoveStaleEngineCopies();
                // A fresh name (not guessable, made 0700 by the runtime) in the temp folder: no user can have put anything there first.
                var holder = Directory.CreateTempSubdirectory(EngineCopyPrefix).FullName;
                File.WriteAllText(Path.Combine(holder, EngineCopyOwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(holder);
                copy = Path.Combine(holder, "engine");
                if (!TryRun("cp", "-r", "--link", folder, copy))
                {
                    DeleteQuietly(copy);
                    CopyReadOnly(folder, copy);
                }

                foreach (var dir in Directory.EnumerateDirectories(copy, "*", SearchOption.AllDirectories).Prepend(copy).Prepend(holder))
                {
                    SetMode(dir, Mode(0b111_101_101));
                }

                if (FirstHiddenAncestor(Path.Combine(copy, Path.GetRelativePath(folder, toolDll))) is { } hidden)
                {
                    throw new CourseException($"the kernel's user cannot read the engine: {toolDll} is in a folder closed to other users, and in the copy made for it {hidden} is closed too.");
                }

                s_engineCopies[folder] = copy;
            }

            return Path.Combine(copy, Path.GetRelativePath(folder, toolDll));
        }
    }

    private const string EngineCopyPrefix = "backprop-engine-";
    private const string EngineCopyOwnerFile = "grader.pid";

    /// <summary>Removes the engine copies in the temp folder whose grader is gone (killed before it could remove its own).</summary>
    private static void RemoveStaleEngineCopies()
    {
        foreach (var holder in Directory.EnumerateDirectories(Path.GetTempPath(), EngineCopyPrefix + "*"))
        {
            var owner = Path.Combine(holder, EngineCopyOwnerFile);
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                DeleteQuietly(holder);
            }
        }
    }

    private static bool TryRun(string fileName, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = errors.Result;
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void CopyReadOnly(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories).Prepend(from))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, target);
            SetMode(target, Mode(0b110_100_100));
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// The first folder on the way to <paramref name="path"/> that users other than its owner may not enter, or
    /// <paramref name="path"/> itself when they may not read it; null when any user can read it. (A kernel's user owns
    /// nothing outside its box and is in no group, so the "other" permission bits are the ones that apply to it.)
    /// </summary>
    internal static string? FirstHiddenAncestor(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        for (var dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (!File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
            {
                return dir;
            }
        }

        return File.GetUnixFileMode(full).HasFlag(UnixFileMode.OtherRead) ? null : full;
    }

    /// <summary>
    /// A user id of the kernel-user range that no account, no group, no process and no other sandbox uses — of this grader
    /// or of another grader process on the machine: each sandbox holds a lock file for its id (in a folder only root may
    /// enter) as long as it lives, so no two kernels ever share a user (they could read each other's folders, and killing
    /// one's processes would kill the other).
    /// </summary>
    private static int AllocateUid()
    {
        var accounts = Ids("/etc/passwd").Concat(Ids("/etc/group")).ToHashSet();
        var running = Processes().Select(p => Uids(p)).SelectMany(u => u).ToHashSet();
        var locks = Directory.Exists("/run") ? "/run/backprop-grader" : Path.Combine(Path.GetTempPath(), "backprop-grader-uids");
        Directory.CreateDirectory(locks);
        SetMode(locks, Mode(0b111_000_000));
        lock (s_uidLocks)
        {
            for (var uid = FirstKernelUid; uid < FirstKernelUid + KernelUidCount; uid++)
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

        throw new CourseException($"no free user id for a kernel: all of {FirstKernelUid}–{FirstKernelUid + KernelUidCount - 1} are in use (by accounts, running processes or other sandboxes).");

        static IEnumerable<int> Ids(string file) => File.Exists(file)
            ? File.ReadLines(file).Select(l => l.Split(':')).Where(f => f.Length > 2 && int.TryParse(f[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out _)).Select(f => int.Parse(f[2], CultureInfo.InvariantCulture))
            : [];
    }

    private static void ReleaseUid(int uid)
    {
        lock (s_uidLocks)
        {
            if (s_uidLocks.Remove(uid, out var held))
            {
                held.Dispose();
            }
        }
    }

    /// <summary>The ids of the live processes (from /proc).</summary>
    private static IEnumerable<int> Processes() => Directory.EnumerateDirectories("/proc")
        .Select(Path.GetFileName)
        .Where(n => n is { Length: > 0 } && n.All(char.IsAsciiDigit))
        .Select(n => int.Parse(n!, CultureInfo.InvariantCulture));

    /// <summary>The real, effective, saved and file-system user ids of a live process that is not a zombie (empty when it is gone or a zombie).</summary>
    private static int[] Uids(int pid)
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

    private static bool OwnedBy(int pid, int uid) => Uids(pid).Contains(uid);

    /// <summary>Whether a process's environment (as it was started) carries <paramref name="marker"/>.</summary>
    private static bool Marked(int pid, string marker)
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
    private static void KillAll(params Func<int, bool>?[] tests)
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
    /// Removes what the kernel's user left in the folders every user may write to, at any depth (a world-writable folder
    /// inside them, such as .NET's /tmp/.dotnet/shm, included); this sandbox's own folder is left to <see cref="Dispose"/>.
    /// </summary>
    private void RemoveFilesOf(int uid)
    {
        // find tests the owner without following links (lstat), on these file systems only; a folder of the user's is removed whole.
        var start = new System.Diagnostics.ProcessStartInfo("find") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in s_sharedTempFolders.Where(Directory.Exists).Concat(["-xdev", "(", "-path", _root, "-prune", ")", "-o", "(", "-user", uid.ToString(CultureInfo.InvariantCulture), "-print0", "-prune", ")"]))
        {
            start.ArgumentList.Add(argument);
        }

        using var find = System.Diagnostics.Process.Start(start)!;
        var errors = find.StandardError.ReadToEndAsync();
        var found = find.StandardOutput.ReadToEnd().Split('\0', StringSplitOptions.RemoveEmptyEntries);
        find.WaitForExit();
        _ = errors.Result;
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

    private static string DotnetPath()
    {
        var path = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : null;
        path ??= (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists)
            ?? throw new CourseException("cannot find the dotnet executable on PATH.");
        return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
    }

    /// <summary>Quotes a word for bash.</summary>
    private static string Sh(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeChown(string path, int owner, int group);

    /// <summary>Gives <paramref name="path"/> to the kernel's user and its group (the same number).</summary>
    private static void Chown(string path, int uid)
    {
        if (NativeChown(path, uid, uid) != 0)
        {
            throw new CourseException($"could not give {path} to the kernel's user {uid} (chown failed, errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>Sets a file's Unix mode (the grader runs kernels on Linux only; elsewhere it is left as it is).</summary>
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
