using System.Globalization;

namespace Backprop.Course.Sandboxing;

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
/// (<see cref="KernelUid"/>, one per sandbox, from <see cref="KernelUsers"/>) with process, file-size and address-space limits: the sandbox's root is
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

    /// <summary>Makes a fresh sandbox holding a verified copy of <paramref name="kit"/>.</summary>
    public static Sandbox Create(KitImage kit, ConfinementKind? confinement = null, long memoryLimitBytes = DefaultMemoryLimitBytes)
    {
        var root = Directory.CreateTempSubdirectory("backprop-grade-").FullName;
        var sandbox = new Sandbox(root, confinement ?? Sandboxing.Confinement.Best, memoryLimitBytes);
        try
        {
            var own = new[] { sandbox.NotebookFolder, Path.Combine(sandbox.Box, "home"), Path.Combine(sandbox.Box, "tmp") };
            foreach (var folder in own.Append(sandbox.Control))
            {
                Directory.CreateDirectory(folder);
            }

            // The box belongs to the sandbox's unprivileged user (bubblewrap maps it onto the grader's); the control folder to the grader only.
            UnixFiles.SetMode(sandbox.Control, UnixFiles.Mode(0b111_000_000));
            kit.WriteTo(sandbox.KitFolder);
            if (sandbox.Confinement != ConfinementKind.Bubblewrap && Sandboxing.Confinement.DropsPrivileges)
            {
                sandbox.KernelUid = KernelUsers.Allocate();
                // Root's: the sandbox's root may be entered but not listed, the box and the kit copy read; the kernel's user owns only its working folders.
                UnixFiles.SetMode(root, UnixFiles.Mode(0b111_001_001));
                UnixFiles.SetMode(sandbox.Box, UnixFiles.Mode(0b111_101_101));
                UnixFiles.SetMode(Path.GetDirectoryName(sandbox.KitFolder)!, UnixFiles.Mode(0b111_101_101));
                foreach (var folder in own)
                {
                    UnixFiles.Chown(folder, sandbox.KernelUid.Value);
                    UnixFiles.SetMode(folder, UnixFiles.Mode(0b111_000_000));
                }

                if (UnixFiles.FirstHiddenAncestor(sandbox.Box) is { } hidden)
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
            KernelProcesses.KillGroup(group);
        }

        if (_generation > 0)
        {
            KernelProcesses.KillAll(KernelUid is { } uid ? pid => KernelProcesses.OwnedBy(pid, uid) : null, pid => KernelProcesses.Marked(pid, _marker));
        }
    }

    public void Dispose()
    {
        KillKernel();
        if (KernelUid is { } uid)
        {
            KernelProcesses.RemoveFilesOf(uid, _root);
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
                        UnixFiles.SetMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
                KernelUsers.Release(used);
                KernelUid = null;
            }
        }
    }
}
