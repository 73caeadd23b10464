using System.Globalization;

namespace Backprop.Course.Sandboxing;

/// <summary>
/// The launch script of a sandbox's kernel (<c>setsid bash launch-N.sh</c>): it records the kernel's process group and
/// exit code in the control folder, starts a watchdog, and runs the engine inside the jail this machine allows —
/// bubblewrap; unshare, as the kernel's own user, in a private root where root may mount; or, for the <c>run</c> verb,
/// no jail at all.
/// </summary>
internal sealed partial class Sandbox
{
    private string LaunchScript(string toolDll, IReadOnlyList<string> engineArguments)
    {
        var dotnet = DotnetPath();
        var dotnetRoot = Path.GetDirectoryName(dotnet)!;
        // In a private root (unshare as root) the engine's and .NET's folders are bound where they are, with open parents;
        // otherwise the kernel's user reaches them through the real file system, which may close them (root's home).
        if (KernelUid is not null && !(Confinement == ConfinementKind.Unshare && Sandboxing.Confinement.CanBuildPrivateRoot))
        {
            if (UnixFiles.FirstHiddenAncestor(dotnet) is { } hidden)
            {
                throw new CourseException($"the kernel's user cannot run .NET at {dotnet} ({hidden} is closed to other users); install .NET where every user may read it, such as /usr/share/dotnet.");
            }

            toolDll = EngineCopy.Readable(toolDll);
        }

        var engine = string.Join(' ', new[] { Shell.Word(dotnet), Shell.Word(toolDll) }.Concat(engineArguments.Select(Shell.Word)));
        var control = Shell.Word(Control);
        var generation = _generation.ToString(CultureInfo.InvariantCulture);
        var environment = KernelEnvironment(dotnetRoot);
        var jail = !IsConfined
            // The run verb: the caller's environment and folder; only the mark is added.
            ? $"export {KernelProcesses.MarkVariable}={_marker}; cd {Shell.Word(NotebookFolder)} || exit 97; "
            : Confinement == ConfinementKind.Bubblewrap ? BubblewrapJail(toolDll, dotnetRoot, environment)
            : UnshareJail(toolDll, dotnetRoot, environment, generation);
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

    /// <summary>The whole environment of a confined kernel (nothing of the grader's is passed on).</summary>
    private Dictionary<string, string> KernelEnvironment(string dotnetRoot) => new()
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
        [KernelProcesses.MarkVariable] = _marker,
    };

    /// <summary>bubblewrap: only the system, .NET, the engine (read-only) and the box (its kit copy read-only) are visible; every namespace is new.</summary>
    private string BubblewrapJail(string toolDll, string dotnetRoot, Dictionary<string, string> environment)
    {
        var toolFolder = EngineCopy.ToolFolder(toolDll);
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
        return "cd " + Shell.Word(NotebookFolder) + " || exit 97\nbwrap " + string.Join(' ', binds.Select(Shell.Word));
    }

    /// <summary>
    /// unshare (or only a process group): new PID, network and mount namespaces where they work, a private root when root
    /// may mount, the kernel's own user with its limits when the grader is root, and a clean environment.
    /// </summary>
    private string UnshareJail(string toolDll, string dotnetRoot, Dictionary<string, string> environment, string generation)
    {
        var privateRoot = Confinement == ConfinementKind.Unshare && KernelUid is not null && Sandboxing.Confinement.CanBuildPrivateRoot;
        var namespaces = Confinement == ConfinementKind.Unshare
            ? "unshare --net --pid --fork --kill-child --mount --mount-proc -- "
            : KernelUid is not null && Sandboxing.Confinement.CanUnshareNetwork ? "unshare --net -- " : "";
        if (privateRoot)
        {
            // In its own mount namespace, as root still: a root of its own holding only what bubblewrap would show, then chroot.
            var script = Path.Combine(Control, $"private-root-{generation}.sh");
            var newRoot = Path.Combine(Control, $"root-{generation}");
            Directory.CreateDirectory(newRoot);
            File.WriteAllText(script, PrivateRoot.Script(PrivateRoot.SystemFolders().Append(dotnetRoot).Append(EngineCopy.ToolFolder(toolDll)), Box));
            namespaces += $"bash {Shell.Word(script)} {Shell.Word(newRoot)} ";
        }

        var user = "";
        if (KernelUid is { } uid)
        {
            // Limits first (RLIMIT_NPROC counts the processes of the user they are set for: the kernel's own), then the user:
            // no supplementary groups, no capabilities, and no way back up through a setuid program.
            var addressSpace = MemoryLimitBytes + (8L << 30);
            var id = uid.ToString(CultureInfo.InvariantCulture);
            user = $"prlimit --nproc={KernelUsers.ProcessLimit} --fsize={KernelUsers.FileSizeLimitBytes} --core=0 --as={addressSpace} -- "
                + $"setpriv --reuid={id} --regid={id} --clear-groups --inh-caps=-all --no-new-privs -- ";
        }

        return "cd " + Shell.Word(NotebookFolder) + " || exit 97\n" + namespaces + user + $"env -i -C {Shell.Word(NotebookFolder)} " + string.Join(' ', environment.Select(e => Shell.Word($"{e.Key}={e.Value}")));
    }

    private static string DotnetPath()
    {
        var path = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : null;
        path ??= (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists)
            ?? throw new CourseException("cannot find the dotnet executable on PATH.");
        return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
