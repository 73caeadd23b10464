using System.Net;
using System.Net.Sockets;

namespace Backprop.Course.Publishing;

/// <summary>
/// <c>course serve</c>: a built web book on http://127.0.0.1 (only), so its pages run live (browsers load WebAssembly over
/// http(s), never from file://). Files only from the site folder: a path that climbs out of it is refused.
/// </summary>
/// <remarks>
/// HttpListener rather than Kestrel: serving one folder to one browser on the loopback needs nothing Kestrel adds, and
/// HttpListener is in the base library — a FrameworkReference to ASP.NET Core would make the course tool (which every
/// student release copies and builds) depend on a second shared framework. A file the runtime's publish also wrote
/// Brotli-compressed (<c>x.wasm.br</c>) is sent compressed to a browser that accepts it: about a quarter of the bytes.
/// </remarks>
internal sealed class SiteServer : IDisposable
{
    /// <summary>The port tried first when none is given; the next free one up to 20 above it is taken instead.</summary>
    public const int DefaultPort = 8080;

    private static readonly Dictionary<string, string> s_contentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".htm"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".mjs"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".map"] = "application/json; charset=utf-8",
        [".wasm"] = "application/wasm",
        [".dll"] = "application/octet-stream",
        [".pdb"] = "application/octet-stream",
        [".dat"] = "application/octet-stream",
        [".blat"] = "application/octet-stream",
        [".webcil"] = "application/octet-stream",
        [".br"] = "application/x-brotli",
        [".gz"] = "application/gzip",
        [".ipynb"] = "application/x-ipynb+json",
        [".cs"] = "text/plain; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".woff2"] = "font/woff2",
        [".woff"] = "font/woff",
        [".ttf"] = "font/ttf",
    };

    private readonly HttpListener _listener;
    private readonly string _root;

    private SiteServer(HttpListener listener, string root, int port)
    {
        _listener = listener;
        _root = root;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The site's address (its index page).</summary>
    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>
    /// Starts serving <paramref name="siteFolder"/> on 127.0.0.1:<paramref name="port"/> (or, with none given, the first
    /// free port from <see cref="DefaultPort"/>). A missing folder or a busy port is a <see cref="CourseException"/>.
    /// </summary>
    public static SiteServer Start(string siteFolder, int? port)
    {
        var root = Path.GetFullPath(siteFolder);
        if (!Directory.Exists(root) || !File.Exists(Path.Combine(root, "index.html")))
        {
            throw new CourseException($"{root}: no built web book there (no index.html) — build it with `dotnet run --project lib/Backprop.Course -- site` (after `run`), or name the site's folder with --site DIR.");
        }

        var candidates = port is { } p ? [p] : Enumerable.Range(DefaultPort, 21).ToArray();
        foreach (var candidate in candidates)
        {
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{candidate}/");
            try
            {
                listener.Start();
                return new SiteServer(listener, root, candidate);
            }
            catch (Exception e) when (e is HttpListenerException or SocketException)
            {
                listener.Close();
            }
        }

        throw new CourseException(port is null
            ? $"ports {DefaultPort}–{DefaultPort + 20} on 127.0.0.1 are all in use: name a free one with --port N."
            : $"port {port} on 127.0.0.1 is in use (or not allowed): name another with --port N, or leave --port out for the first free one from {DefaultPort}.");
    }

    /// <summary>Answers requests until <paramref name="stop"/> is cancelled (Ctrl-C), each on its own task (a page loads many files at once).</summary>
    public async Task ServeAsync(CancellationToken stop)
    {
        using var stopping = stop.Register(_listener.Stop);
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break;   // stopped
            }

            _ = Task.Run(() => Answer(context));
        }
    }

    /// <summary>The content type of a file, by its extension (application/octet-stream for one not listed).</summary>
    public static string ContentType(string path) => s_contentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");

    /// <summary>
    /// The file a request's path names inside <paramref name="root"/> (a folder's index.html), or null when there is none
    /// or the path is refused: a <c>..</c> or <c>.</c> segment, an encoded slash or backslash, a NUL, or a link out of the folder.
    /// </summary>
    public static string? Resolve(string root, string rawPath)
    {
        var path = rawPath.Split('?', '#')[0];
        var segments = new List<string>();
        foreach (var raw in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string segment;
            try
            {
                segment = Uri.UnescapeDataString(raw);
            }
            catch (UriFormatException)
            {
                return null;
            }

            if (segment is "." or ".." || segment.IndexOfAny(['/', '\\', '\0']) >= 0)
            {
                return null;
            }

            segments.Add(segment);
        }

        var full = Path.GetFullPath(Path.Combine([root, .. segments]));
        if (Directory.Exists(full))
        {
            full = Path.Combine(full, "index.html");
        }

        if (!File.Exists(full))
        {
            return null;
        }

        // A link inside the site may not lead out of it.
        var real = Files.RealPath(full);
        var realRoot = Files.RealPath(root);
        return real.StartsWith(realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    private async Task Answer(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var method = context.Request.HttpMethod;
            if (method is not ("GET" or "HEAD"))
            {
                response.StatusCode = 405;
                return;
            }

            var file = Resolve(_root, context.Request.RawUrl ?? "/");
            if (file is null)
            {
                response.StatusCode = 404;
                response.ContentType = "text/plain; charset=utf-8";
                await response.OutputStream.WriteAsync("Not found.\n"u8.ToArray());
                return;
            }

            response.ContentType = ContentType(file);
            response.Headers["Cache-Control"] = "no-cache";
            response.Headers["X-Content-Type-Options"] = "nosniff";
            var accepts = context.Request.Headers["Accept-Encoding"] ?? "";
            // A Brotli copy older than its file is stale (the file was replaced after the publish): the file itself is sent.
            var compressed = !file.EndsWith(".br", StringComparison.OrdinalIgnoreCase) && File.Exists(file + ".br")
                && File.GetLastWriteTimeUtc(file + ".br") >= File.GetLastWriteTimeUtc(file);
            if (compressed)
            {
                response.Headers["Vary"] = "Accept-Encoding";
            }

            if (compressed && accepts.Contains("br", StringComparison.Ordinal))
            {
                file += ".br";
                response.Headers["Content-Encoding"] = "br";
            }

            await using var stream = File.OpenRead(file);
            response.ContentLength64 = stream.Length;
            if (method == "GET")
            {
                await stream.CopyToAsync(response.OutputStream);
            }
        }
        catch (Exception e) when (e is IOException or HttpListenerException or UnauthorizedAccessException)
        {
            // The browser went away, or the file did: nothing to tell it.
        }
        finally
        {
            response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
