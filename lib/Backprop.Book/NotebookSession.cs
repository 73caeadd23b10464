using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Book;

/// <summary>
/// A notebook session: each cell is compiled as the next C# script submission (chained to the previous one, as the
/// notebook engine does), emitted, loaded and run, so it sees the variables, methods and types of the cells before it.
/// A cell that does not compile leaves the session as it was; a cell that throws stays in the chain, as in the
/// notebook engine (what it declared exists, what it did not reach is unset).
/// </summary>
internal sealed partial class NotebookSession
{
    private static readonly CSharpParseOptions s_parse = CSharpParseOptions.Default
        .WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    // The browser runtime is single-threaded: a concurrent build waits on monitors and throws.
    private static readonly CSharpCompilationOptions s_options = new(
        OutputKind.DynamicallyLinkedLibrary, concurrentBuild: false, allowUnsafe: true, optimizationLevel: OptimizationLevel.Release);

    private static readonly Dictionary<string, Assembly> s_submissions = [];
    private static int s_sessions;

    private readonly IReadOnlyList<MetadataReference> _references;
    private readonly int _session = Interlocked.Increment(ref s_sessions);
    private CSharpCompilation? _previous;
    private object?[] _states = new object?[64];
    private int _count;

    static NotebookSession() =>
        AssemblyLoadContext.Default.Resolving += (_, name) => name.Name is { } n && s_submissions.TryGetValue(n, out var a) ? a : null;

    private NotebookSession(IReadOnlyList<MetadataReference> references) => _references = references;

    /// <summary>Starts a session over <paramref name="references"/> and runs the kit's setup submission in it.</summary>
    public static async Task<NotebookSession> Start(IReadOnlyList<MetadataReference> references)
    {
        var session = new NotebookSession(references);
        var setup = await session.Run(KitSetup.SetupSubmission()).ConfigureAwait(true);
        return setup.Ok ? session : throw new InvalidOperationException($"The kit's setup submission failed: {setup.Text}");
    }

    /// <summary>Compiles <paramref name="source"/> as the next submission and runs it.</summary>
    public async Task<CellResult> Run(string source)
    {
        var run = new CellRun();
        var directive = Directive().Match(source);
        if (directive.Success)
        {
            var line = source[..directive.Index].Count(c => c == '\n') + 1;
            run.Fail($"({line},1): error: {directive.Groups["name"].Value} is not available in the browser (the kit is already loaded)");
            return new CellResult(false, run.Text, run.Outputs);
        }

        var name = $"cell{_session}-{_count + 1}";
        var tree = CSharpSyntaxTree.ParseText(source, s_parse);
        var compilation = CSharpCompilation.CreateScriptCompilation(name, tree, _references, s_options, _previous);
        using var pe = new MemoryStream();
        var emitted = compilation.Emit(pe);
        if (!emitted.Success)
        {
            run.Fail(string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Format)));
            return new CellResult(false, run.Text, run.Outputs);
        }

        var assembly = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(pe.ToArray()));
        s_submissions[name] = assembly;
        _previous = compilation;
        _count++;
        if (_count + 1 >= _states.Length)
        {
            Array.Resize(ref _states, _states.Length * 2);
        }

        var entry = compilation.GetEntryPoint(CancellationToken.None)
            ?? throw new InvalidOperationException("A script submission has no entry point.");
        var factory = assembly.GetType(entry.ContainingType.MetadataName, throwOnError: true)!
            .GetMethod(entry.MetadataName, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
        using (run.Capture())
        {
            try
            {
                var value = await ((Task<object?>)factory.Invoke(null, [_states])!).ConfigureAwait(true);
                Console.Out.Flush();
                if (value is not null)
                {
                    run.Display(value);
                }
            }
            catch (Exception e)
            {
                run.Fail(Describe(e is TargetInvocationException { InnerException: { } inner } ? inner : e));
                return new CellResult(false, run.Text, run.Outputs);
            }
        }

        run.EndText();
        return new CellResult(true, run.Text, run.Outputs);
    }

    /// <summary>
    /// An exception as the notebook shows it: "Type: message" (and the inner exception's); an exception that writes
    /// its own text (the kit's check failures print only their verdict) as that text.
    /// </summary>
    private static string Describe(Exception e)
    {
        var own = e.GetType().GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType != typeof(Exception);
        if (own)
        {
            return e.ToString();
        }

        var text = $"{e.GetType().FullName}: {e.Message}";
        return e.InnerException is null ? text : $"{text}\n ---> {e.InnerException.GetType().FullName}: {e.InnerException.Message}";
    }

    private static string Format(Diagnostic d)
    {
        var at = d.Location.GetLineSpan().StartLinePosition;
        return $"({at.Line + 1},{at.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    [GeneratedRegex(@"^[ \t]*(?<name>#r|#load|#!\S*)", RegexOptions.Multiline)]
    private static partial Regex Directive();
}
