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
/// </summary>
internal sealed partial class Sandbox : IDisposable
{
    /// <summary>The managed-heap limit of a kernel unless told otherwise: 2 GiB.</summary>
    public const long DefaultMemoryLimitBytes = 2L << 30;

    private readonly string _root;
    private int _generation;

    private Sandbox(string root, ConfinementKind confinement, long memoryLimitBytes)
    {
        _root = root;
        Confinement = confinement;
        MemoryLimitBytes = memoryLimitBytes;
    }

    public ConfinementKind Confinement { get; }

    public long MemoryLimitBytes { get; }

    /// <summary>Everything the kernel may see of the file system besides the system and the engine.</summary>
    public string Box => Path.Combine(_root, "box");

    /// <summary>The kernel's working folder.</summary>
    public string NotebookFolder => Path.Combine(Box, "notebooks");

    public string KitFolder => Path.Combine(Box, "artifacts", "kit");

    private string Control => Path.Combine(_root, "control");

    /// <summary>Makes a fresh sandbox holding a verified copy of <paramref name="kit"/>.</summary>
    public static Sandbox Create(KitImage kit, ConfinementKind? confinement = null, long memoryLimitBytes = DefaultMemoryLimitBytes)
    {
        var root = Directory.CreateTempSubdirectory("backprop-grade-").FullName;
        var sandbox = new Sandbox(root, confinement ?? Course.Confinement.Best, memoryLimitBytes);
        try
        {
            foreach (var folder in new[] { sandbox.NotebookFolder, Path.Combine(sandbox.Box, "home"), Path.Combine(sandbox.Box, "tmp"), sandbox.Control })
            {
                Directory.CreateDirectory(folder);
            }

            // The box belongs to the sandbox's unprivileged user (bubblewrap maps it onto the grader's); the control folder to the grader only.
            SetMode(sandbox.Control, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            kit.WriteTo(sandbox.KitFolder);
            return sandbox;
        }
        catch
        {
            sandbox.Dispose();
            throw;
        }
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

    /// <summary>Kills the current kernel's whole process group (everything it started, double forks included).</summary>
    public void KillKernel()
    {
        var path = Path.Combine(Control, $"pgid-{_generation}");
        if (_generation > 0 && File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var group) && group > 1)
        {
            _ = Kill(-group, 9);
        }
    }

    public void Dispose()
    {
        KillKernel();
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
    }

    private string LaunchScript(string toolDll, IReadOnlyList<string> engineArguments)
    {
        var dotnet = DotnetPath();
        var dotnetRoot = Path.GetDirectoryName(dotnet)!;
        var engine = string.Join(' ', new[] { Sh(dotnet), Sh(toolDll) }.Concat(engineArguments.Select(Sh)));
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
        };
        string jail;
        switch (Confinement)
        {
            case ConfinementKind.Bubblewrap:
                var toolFolder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(toolDll)!, "..", "..", ".."));
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
                jail = "bwrap " + string.Join(' ', binds.Select(Sh));
                break;
            case ConfinementKind.Unshare:
                jail = "unshare --net --pid --fork --kill-child --mount --mount-proc -- env -i " + string.Join(' ', environment.Select(e => Sh($"{e.Key}={e.Value}")));
                break;
            default:
                jail = "env -i " + string.Join(' ', environment.Select(e => Sh($"{e.Key}={e.Value}")));
                break;
        }

        var control = Sh(Control);
        var generation = _generation.ToString(CultureInfo.InvariantCulture);
        return $$"""
            # Written by the course tool's grader for one kernel of one submission. Run as: setsid bash this-file
            # (so this shell leads a process group that holds the kernel and everything it starts).
            echo $$ > {{control}}/pgid-{{generation}}
            # Watchdog: when the grader is gone, the whole group goes too (no orphan kernel).
            ( while kill -0 {{Environment.ProcessId}} 2>/dev/null; do sleep 0.5; done; kill -KILL 0 ) </dev/null >/dev/null 2>&1 &
            cd {{Sh(NotebookFolder)}} || exit 97
            # "$@": what the connector appends (--kernel-host NAME, the name it knows the engine by).
            {{jail}} {{engine}} "$@"
            code=$?
            echo $code > {{control}}/exit-{{generation}}.tmp && mv {{control}}/exit-{{generation}}.tmp {{control}}/exit-{{generation}}
            exit $code

            """;
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

    /// <summary>Sets a file's Unix mode (the grader runs kernels on Linux only; elsewhere it is left as it is).</summary>
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
