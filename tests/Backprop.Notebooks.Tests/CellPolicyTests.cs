using Backprop.Course;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The Roslyn check a student cell passes before the grader runs it: each attack of the grader-trust issue, and
/// the tricks that hide one (aliases, global::, using static, dynamic), is refused with the API named; the
/// lessons' own kind of code is not.
/// </summary>
public sealed class CellPolicyTests
{
    private static readonly Lazy<CellPolicy> s_policy = new(() => new CellPolicy(KitImage.Read(Course.Kit.OutputDirectory(EngineFixture.Shared.Root))));

    private static string? Check(params string[] cells)
    {
        var checker = s_policy.Value.Start();
        string? verdict = null;
        foreach (var cell in cells)
        {
            verdict = checker.Check(cell);
        }

        return verdict;
    }

    [Theory]
    [InlineData("Microsoft.DotNet.Interactive.Kernel.Current.AddMiddleware(async (c, ctx, next) => { if (c is Microsoft.DotNet.Interactive.Commands.SubmitCode s && s.Code.StartsWith(\"// CHECK\")) return; await next(c, ctx); });", "Interactive")]
    [InlineData("Kernel.Root.AddMiddleware(async (c, ctx, next) => await next(c, ctx));", "Kernel")]
    [InlineData("var k = Root;", "Kernel")]
    [InlineData("var text = System.IO.File.ReadAllText(\"../notebooks/00-start-here.ipynb\");", "File")]
    [InlineData("System.IO.File.WriteAllBytes(\"../artifacts/kit/Backprop.Coursework.dll\", new byte[1]);", "File")]
    [InlineData("System.IO.File.AppendAllText(\"../lib/Backprop.Coursework/Check.cs\", \"//\");", "File")]
    [InlineData("var cmd = global::System.IO.File.ReadAllText($\"/proc/{1}/cmdline\");", "File")]
    [InlineData("using F = System.IO.File;\nF.WriteAllText(\"x\", \"{}\");", "File")]
    [InlineData("using static System.IO.File;\nWriteAllText(\"x\", \"{}\");", "File")]
    [InlineData("using IO = System.IO;\nvar w = new IO.StreamWriter(\"x\");", "StreamWriter")]
    [InlineData("foreach (var f in new System.IO.DirectoryInfo(\"..\").GetFiles()) Console.WriteLine(f);", "file system")]
    [InlineData("System.Diagnostics.Process.Start(\"bash\", \"-c \\\"(sleep 4323 &)\\\"\");", "Process")]
    [InlineData("var a = System.Reflection.Assembly.LoadFrom(\"/tmp/Backprop.Coursework.dll\");", "Reflection")]
    [InlineData("var a = typeof(Mlp).Assembly;", "Assembly")]
    [InlineData("var m = typeof(Mlp).GetMethod(\"Forward\");", "reflection")]
    [InlineData("var t = Type.GetType(\"System.IO.File\");", "Type.GetType")]
    [InlineData("var o = Activator.CreateInstance(typeof(object));", "Activator")]
    [InlineData("dynamic d = 1; d.Foo();", "dynamic")]
    [InlineData("System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(\"/tmp/x.dll\");", "Loader")]
    [InlineData("var p = System.Runtime.InteropServices.Marshal.AllocHGlobal(10);", "InteropServices")]
    [InlineData("unsafe { int x = 1; int* p = &x; }", "unsafe")]
    [InlineData("Environment.Exit(0);", "Environment.Exit")]
    [InlineData("Environment.FailFast(\"x\");", "Environment.FailFast")]
    [InlineData("using static System.Environment;\nExit(0);", "Environment.Exit")]
    [InlineData("var home = Environment.GetEnvironmentVariable(\"HOME\");", "Environment.GetEnvironmentVariable")]
    [InlineData("var args = Environment.GetCommandLineArgs();", "Environment.GetCommandLineArgs")]
    [InlineData("new System.Threading.Thread(() => throw new InvalidOperationException()).Start();", "Thread")]
    [InlineData("System.Threading.ThreadPool.QueueUserWorkItem(_ => { });", "ThreadPool")]
    [InlineData("Task.Run(() => { throw new InvalidOperationException(); });", "Task.Run")]
    [InlineData("class Bomb { ~Bomb() { throw new InvalidOperationException(); } }", "finalizer")]
    [InlineData("Console.SetOut(new System.IO.StringWriter());", "Console.SetOut")]
    [InlineData("var c = new System.Net.Http.HttpClient();", "network")]
    [InlineData("Kit::Check.Exercise(\"00.1\", \"x\", () => { });", "check API")]
    [InlineData("using Kit = System;", "alias")]
    [InlineData("AppDomain.CurrentDomain.UnhandledException += (s, e) => { };", "AppDomain")]
    [InlineData("var e = System.Linq.Expressions.Expression.Call(typeof(Console), \"Beep\", null);", "code generation")]
    [InlineData("Action a = () => { }; var m = a.Method;", "Method")]
    public void An_attack_is_refused_and_named(string cell, string named)
    {
        var verdict = Check(cell);

        Assert.NotNull(verdict);
        Assert.Contains(named, verdict, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("#r \"/tmp/Backprop.Coursework.dll\"")]
    [InlineData("#r \"nuget: Newtonsoft.Json\"")]
    [InlineData("#load \"../lib/Backprop.Coursework/Check.cs\"")]
    [InlineData("#!pwsh\nGet-ChildItem /")]
    [InlineData("#i \"nuget: /tmp/feed\"")]
    [InlineData("   #!set --name x --value 1")]
    public void A_directive_or_magic_command_is_refused(string cell)
    {
        var verdict = Check(cell);

        Assert.NotNull(verdict);
        Assert.Contains("directive", verdict, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Vector<double> WithBias(Vector<double> x) => Vector<double>.Build.Dense(x.Count + 1, i => i == 0 ? 1.0 : x[i - 1]);")]
    [InlineData("double Sigma(double a) => 1.0 / (1.0 + Math.Exp(-a));\nConsole.WriteLine($\"{Sigma(0):F3}\");")]
    [InlineData("var net = new Mlp(new[] { 2, 3, 1 }, Activation.Tanh, Activation.Identity, seed: 0);\nvar y = net.Forward(Vector<double>.Build.Dense(new[] { 0.5, -1.0 })).Output;")]
    [InlineData("var clock = System.Diagnostics.Stopwatch.StartNew();\nvar list = new List<int> { 3, 1, 2 }.OrderBy(v => v).ToList();\nConsole.WriteLine(clock.Elapsed);")]
    [InlineData("#nullable enable\nrecord Point(double X, double Y);\nvar p = new Point(1, 2) with { Y = 3 };\nConsole.WriteLine(p.GetType().Name);")]
    [InlineData("var s = new System.IO.StringWriter();\ns.Write(Environment.NewLine);\nawait Task.Delay(1);")]
    [InlineData("display(LA::Matrix<double>.Build.DenseIdentity(2));")]
    public void Lesson_code_is_allowed(string cell)
    {
        var verdict = Check(cell);

        Assert.True(verdict is null, verdict);
    }

    [Fact]
    public void A_later_cell_sees_what_an_earlier_cell_declared_and_is_judged_by_what_it_resolves_to()
    {
        Assert.Null(Check("double Square(double a) => a * a;", "Console.WriteLine(Square(3));"));
        Assert.NotNull(Check("using R = System.Reflection;", "var t = typeof(R.Assembly);"));
    }

    [Fact]
    public void Every_solution_and_every_stub_of_the_instructor_notebooks_passes_the_check()
    {
        foreach (var path in EngineFixture.Shared.InstructorNotebooks)
        {
            var instructor = NotebookDocument.Load(path);
            foreach (var notebook in new[] { instructor, Release.ForStudents(instructor) })
            {
                var checker = s_policy.Value.Start();
                foreach (var cell in notebook.Cells.Where(c => c.IsCode && c.Marker?.Kind != MarkerKind.Setup))
                {
                    if (cell.Marker?.Kind == MarkerKind.Exercise)
                    {
                        var verdict = checker.Check(cell.Source);
                        Assert.True(verdict is null, $"{Path.GetFileName(path)} {cell.Marker.Id}: {verdict}");
                    }
                    else
                    {
                        checker.Trust(cell.Source);
                    }
                }
            }
        }
    }

    [Fact]
    public void The_attestation_prefix_of_the_grader_is_the_kits()
    {
        Assert.Equal(Backprop.Coursework.Check.AttestationPrefix, Course.Grader.AttestationPrefix);
    }
}
