using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Backprop.Course.Publishing;

namespace Backprop.Course.Cli;

/// <summary><c>serve</c>: a built web book on http://127.0.0.1, where its pages run live (<see cref="SiteServer"/>); Ctrl-C stops it.</summary>
internal static class ServeVerb
{
    public static Command Create(CliContext cli)
    {
        var site = new Option<string?>("--site") { Description = "The built site's folder (default: artifacts/site/, written by site or run).", HelpName = "DIR" };
        var port = new Option<int?>("--port")
        {
            Description = $"The port on 127.0.0.1 (default: {SiteServer.DefaultPort}, or the next free one).",
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 65536)
                {
                    return n;
                }

                result.AddError($"--port {text}: expected a port number from 1 to 65535.");
                return null;
            },
        };
        var serve = new Command("serve", "Serves a built web book on http://127.0.0.1 (only), where its lesson pages run live in the browser; Ctrl-C stops it.")
        {
            site, port,
        };
        serve.SetAction(async (result, _) =>
        {
            var folder = cli.FullOrNull(result.GetValue(site)) ?? Path.Combine(Kit.RepositoryRoot(cli.CurrentDirectory), "artifacts", "site");
            using var server = SiteServer.Start(folder, result.GetValue(port));
            using var stop = new CancellationTokenSource();
            Action<PosixSignalContext> onSignal = context =>
            {
                context.Cancel = true;
                stop.Cancel();
            };
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, onSignal);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, onSignal);
            cli.Stdout.WriteLine($"Serving {folder} at {server.Url} (127.0.0.1 only) — open it in a browser; Ctrl-C stops.");
            if (!Directory.Exists(Path.Combine(folder, "live")))
            {
                cli.Stdout.WriteLine("This site has no live/ folder: its pages stay read-only (the course tool publishes lib/Backprop.Book into live/ when the repository has it).");
            }

            await server.ServeAsync(stop.Token);
            cli.Stdout.WriteLine("Stopped.");
            return 0;
        });
        return serve;
    }
}
