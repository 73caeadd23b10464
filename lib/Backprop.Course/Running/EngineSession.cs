using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Connection;
using Backprop.Course.Sandboxing;

namespace Backprop.Course.Running;

/// <summary>
/// One running engine — <c>dotnet interactive stdio</c>, the process VS Code starts — and the C# proxy kernel
/// cells are sent to. Disposing it kills the engine's whole process tree (the only way to stop a stuck cell).
/// </summary>
internal sealed class EngineSession : IDisposable
{
    private static readonly TimeSpan s_startLimit = TimeSpan.FromMinutes(2);
    private StdIoKernelConnector? _connector;
    private Kernel? _kernel;

    private readonly Sandbox? _sandbox;

    private EngineSession(StdIoKernelConnector connector, Kernel kernel, Sandbox? sandbox)
    {
        _connector = connector;
        _kernel = kernel;
        _sandbox = sandbox;
    }

    /// <summary>The sandbox the kernel runs confined in, if any: it tells when the kernel exits.</summary>
    public Sandbox? Sandbox => _sandbox;

    /// <summary>The C# kernel; throws once the session is disposed.</summary>
    public Kernel Kernel => _kernel ?? throw new ObjectDisposedException(nameof(EngineSession));

    /// <summary>Starts the engine in <paramref name="workingDirectory"/> (relative paths of the setup cells resolve against it).</summary>
    /// <remarks>With a <paramref name="sandbox"/>, the kernel runs confined in it and <paramref name="workingDirectory"/> is its notebook folder.</remarks>
    public static async Task<EngineSession> StartAsync(string toolDll, string workingDirectory, string notebookName, Sandbox? sandbox = null)
    {
        // The engine occasionally fails its start-up handshake on a loaded machine: one retry.
        for (var attempt = 1; ; attempt++)
        {
            var connector = Connect(toolDll, workingDirectory, sandbox);
            try
            {
                var start = connector.CreateProxyKernelAsync("csharp");
                if (await Task.WhenAny(start, Task.Delay(s_startLimit)) != start)
                {
                    connector.Dispose();
                    throw new CourseException($"{notebookName}: the engine did not start within {s_startLimit.TotalMinutes:0} minutes.");
                }

                return new EngineSession(connector, await start, sandbox);
            }
            catch (Exception e) when (e is not CourseException)
            {
                connector.Dispose();
                sandbox?.KillKernel();
                if (attempt > 1)
                {
                    throw new CourseException($"{notebookName}: the engine did not start ({e.GetType().Name}: {e.Message}).");
                }
            }
        }
    }

    public void Dispose()
    {
        _kernel?.Dispose();
        _kernel = null;
        _connector?.Dispose();
        _connector = null;
        _sandbox?.KillKernel();
    }

    private static StdIoKernelConnector Connect(string toolDll, string workingDirectory, Sandbox? sandbox) => new(
        sandbox is null
            ? ["dotnet", Quote(toolDll), "stdio", "--default-kernel", "csharp", "--working-dir", Quote(workingDirectory)]
            : [.. sandbox.KernelCommand(toolDll, ["stdio", "--default-kernel", "csharp", "--working-dir", workingDirectory])],
        rootProxyKernelLocalName: "course-root",
        kernelHostUri: KernelHost.CreateHostUri($"backprop-course-{Guid.NewGuid():N}"),   // unique: connections in one process must not share a host
        workingDirectory: new DirectoryInfo(workingDirectory));

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
