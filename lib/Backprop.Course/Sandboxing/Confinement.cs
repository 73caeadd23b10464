namespace Backprop.Course.Sandboxing;

/// <summary>How strongly this machine lets the grader confine a kernel, strongest first.</summary>
internal enum ConfinementKind
{
    /// <summary>bubblewrap: new user, PID, network, IPC and mount namespaces; only the system folders (read-only), the engine (read-only) and the submission's own folder are visible.</summary>
    Bubblewrap,

    /// <summary>util-linux unshare: new PID and network namespaces (the grader's processes and files stay visible).</summary>
    Unshare,

    /// <summary>A process group of its own only.</summary>
    ProcessGroup,
}

/// <summary>Finds, once per process, the strongest confinement that works here (tried, not guessed).</summary>
internal static class Confinement
{
    private static readonly Lazy<ConfinementKind> s_best = new(Probe);

    /// <summary>The confinement the grader uses: the strongest that works, or the one named by BACKPROP_GRADER_CONFINEMENT (bubblewrap, unshare, group) when that works.</summary>
    public static ConfinementKind Best => s_best.Value;

    /// <summary>
    /// Whether kernels run as an unprivileged user of their own where bubblewrap does not work: the grader is root and
    /// util-linux's <c>setpriv</c> and <c>prlimit</c> work here (tried with a kernel user id).
    /// </summary>
    public static bool DropsPrivileges => s_dropsPrivileges.Value;

    /// <summary>Whether <c>unshare --net</c> works here (root in most containers that refuse bubblewrap): a kernel without network.</summary>
    public static bool CanUnshareNetwork => s_unshareNetwork.Value;

    private static readonly Lazy<bool> s_dropsPrivileges = new(() => Environment.IsPrivilegedProcess
        && Works("prlimit", $"--nproc={KernelUsers.ProcessLimit}", "--", "setpriv", $"--reuid={KernelUsers.FirstUid}", $"--regid={KernelUsers.FirstUid}", "--clear-groups", "--inh-caps=-all", "--no-new-privs", "--", "true"));

    /// <summary>Whether, as root with unshare, a kernel gets a root of its own (a tmpfs with the system, the engine and its box bound in, then chroot): only what bubblewrap would show.</summary>
    public static bool CanBuildPrivateRoot => s_privateRoot.Value;

    private static readonly Lazy<bool> s_privateRoot = new(() => DropsPrivileges && PrivateRoot.Works());

    private static readonly Lazy<bool> s_unshareNetwork = new(() => Works("unshare", "--net", "true"));

    /// <summary>What a kernel confined by <paramref name="kind"/> on this machine can and cannot do, for the grader's first line and its refusal.</summary>
    public static string Describe(ConfinementKind kind) => kind switch
    {
        ConfinementKind.Bubblewrap => "bubblewrap (own PID, network, IPC and mount namespaces; sees only the system, the engine and its own folder)",
        ConfinementKind.Unshare when CanBuildPrivateRoot => $"unshare as root (own PID, network and mount namespaces: no network, nothing it starts outlives grading; a root of its own with only the system, the engine and its own folder, the kit copy read-only) and {UserOfItsOwn}",
        ConfinementKind.Unshare when DropsPrivileges => $"unshare (own PID and network namespaces: no network, nothing it starts outlives grading) and {UserOfItsOwn} — files every user may read (the system, and yours unless in a folder closed to others) stay readable: install bubblewrap to hide them",
        ConfinementKind.Unshare => "unshare (own PID and network namespaces; no file-system isolation, and it runs as you: it can read and change whatever you can; install bubblewrap for that, or grade as root)",
        _ when DropsPrivileges => $"a process group and {UserOfItsOwn}; {(CanUnshareNetwork ? "no network (own network namespace)" : "the network, 127.0.0.1 included, stays open (no namespaces here)")}; files every user may read (the system, and yours unless in a folder closed to others) stay readable: install bubblewrap to hide them",
        _ => "a process group only (no namespaces, and it runs as you: it can read and change whatever you can, and a process it starts that leaves the group and clears its environment outlives grading; install bubblewrap, or grade as root)",
    };

    private static string UserOfItsOwn =>
        $"an unprivileged user of its own (uid {KernelUsers.FirstUid}+, no groups, no capabilities): it cannot read or change a file only root may (the sandbox of another submission, the grader's working files), writes only in its own folder and the shared temp folders (what it leaves there is removed), "
        + $"at most {KernelUsers.ProcessLimit} processes and threads and {KernelUsers.FileSizeLimitBytes >> 20} MiB a file, and every process of its user is killed when grading ends";

    /// <summary>
    /// Why <c>grade</c> will not run submissions under <paramref name="kind"/>, or null when it will: anything weaker than
    /// bubblewrap leaves the lecturer's files (the hidden checks, the gradebook, the kit) open to a submission's code, so it
    /// needs the lecturer's explicit consent (<paramref name="allowed"/>: --allow-weak-confinement, for a throwaway container).
    /// </summary>
    public static string? Refusal(ConfinementKind kind, bool allowed) => kind == ConfinementKind.Bubblewrap || allowed
        ? null
        : $"bubblewrap does not work on this machine; the best confinement here is {Describe(kind)}, so {Risk(kind)}. Install bubblewrap (Debian and Ubuntu: apt-get install bubblewrap) — or, inside a throwaway container or CI runner, pass --allow-weak-confinement.";

    /// <summary>What a submission's code could still do under <paramref name="kind"/> here: the reason for the refusal.</summary>
    private static string Risk(ConfinementKind kind) => kind switch
    {
        ConfinementKind.Unshare when CanBuildPrivateRoot => "a submission's code sees none of your files, yet runs set up by root rather than in bubblewrap's user namespace",
        _ when DropsPrivileges => "a submission's code could read every file any user may read (the hidden checks too, unless their folder is closed to other users)",
        _ => "a submission's code could read the hidden checks and change your files",
    };

    private static ConfinementKind Probe()
    {
        var wanted = Environment.GetEnvironmentVariable("BACKPROP_GRADER_CONFINEMENT")?.Trim().ToLowerInvariant();
        if (wanted is null or "" or "bubblewrap" && Works("bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"))
        {
            return ConfinementKind.Bubblewrap;
        }

        if (wanted is null or "" or "bubblewrap" or "unshare" && Works("unshare", "--net", "--pid", "--fork", "--kill-child", "--mount", "--mount-proc", "true"))
        {
            return ConfinementKind.Unshare;
        }

        return ConfinementKind.ProcessGroup;
    }

    /// <summary>Whether the command exits with 0 within 10 seconds (a missing program or a hang is "no").</summary>
    private static bool Works(string fileName, params string[] arguments) => ChildProcess.Run(fileName, arguments, TimeSpan.FromSeconds(10)).Succeeded;
}
