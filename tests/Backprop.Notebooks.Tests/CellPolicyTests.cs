using Backprop.Course;
using Backprop.Course.Notebooks;
using Backprop.Course.Publishing;
using Backprop.Course.Policy;

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
    [InlineData("var r = new System.Xml.XmlUrlResolver().GetEntity(new Uri(\"file:///etc/passwd\"), null, null);", "XmlUrlResolver")]
    [InlineData("var w = System.Xml.XmlWriter.Create(\"/tmp/evil.csx\");", "XmlWriter")]
    [InlineData("var d = System.Xml.Linq.XDocument.Load(\"/etc/passwd\");", "XDocument")]
    [InlineData("var x = new System.Xml.XmlDocument(); x.Load(\"/etc/passwd\");", "XmlDocument")]
    [InlineData("new System.Data.DataSet().WriteXml(\"/tmp/x.xml\");", "DataSet")]
    [InlineData("var t = new System.Xml.Xsl.XslCompiledTransform();", "Xsl")]
    [InlineData("var listing = SourceListing.Method(\"/etc/passwd\", \"root\");", "SourceListing")]
    [InlineData("LessonApp.Run(new string[0], \"00\", \"/\");", "LessonApp")]
    [InlineData("NotebookSupport.Install();", "NotebookSupport")]
    [InlineData("var o = Newtonsoft.Json.JsonConvert.DeserializeObject(\"{}\", new Newtonsoft.Json.JsonSerializerSettings { TypeNameHandling = Newtonsoft.Json.TypeNameHandling.All });", "Newtonsoft")]
    [InlineData("Microsoft.FSharp.Core.Operators.Exit<int>(3);", "FSharp")]
    [InlineData("var t = new System.Threading.Timer(_ => Console.WriteLine(\"later\"), null, 0, 10);", "Timer")]
    [InlineData("var t = new System.Timers.Timer(10);", "Timer")]
    [InlineData("System.Threading.Tasks.Parallel.For(0, 4, i => { });", "Parallel")]
    [InlineData("async Task Loop() { while (true) { await Task.Yield(); Console.WriteLine(\"still here\"); } }\n_ = Loop();", "Task")]
    [InlineData("var pending = Task.Delay(10);", "Task")]
    [InlineData("var m = new System.Threading.Mutex(false, \"Global\\\\backprop\");", "Mutex")]
    [InlineData("var q = new List<int>().AsQueryable();", "Queryable")]
    [InlineData("var s = new[] { 1 }.AsParallel().Sum();", "Parallel")]
    [InlineData("try { throw new InvalidOperationException(); } catch (Exception e) { Console.WriteLine(e.TargetSite); }", "MethodBase")]
    [InlineData("var w = new System.IO.StringWriter(); var e = w.Encoding;", "Encoding")]
    [InlineData("var n = Environment.ProcessId;", "Environment.ProcessId")]
    [InlineData("var k = Console.ReadLine();", "Console.ReadLine")]
    [InlineData("MathNet.Numerics.Control.UseNativeMKL();", "native")]
    [InlineData("var x = Backprop.Coursework.Check.AttestationPrefix;", "check API")]
    [InlineData("var g = GC.GetTotalMemory(false);", "GC")]
    [InlineData("var h = new System.Net.Sockets.TcpClient(\"127.0.0.1\", 8080);", "network")]
    [InlineData("foreach (var p in System.Diagnostics.Process.GetProcesses()) Console.WriteLine(p);", "Process")]
    [InlineData("var e = typeof(Mlp).Assembly.GetManifestResourceNames();", "Assembly")]
    [InlineData("[System.Runtime.CompilerServices.ModuleInitializer] static void Init() { }", "ModuleInitializer")]
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
    [InlineData("// a harmless-looking comment\r#load \"evil.csx\"")]
    [InlineData("// a harmless-looking comment\r#r \"nuget: Newtonsoft.Json\"")]
    [InlineData("// a harmless-looking comment\r#!pwsh\rGet-ChildItem /")]
    [InlineData("// a harmless-looking comment\r#!fsharp\rprintfn \"hi\"")]
    [InlineData("// U+2028\u2028#load \"evil.csx\"")]
    [InlineData("// U+2029\u2029#load \"evil.csx\"")]
    [InlineData("// U+0085\u0085#load \"evil.csx\"")]
    [InlineData("var ok = 1;\r\n\uFEFF#load \"evil.csx\"")]
    [InlineData("var ok = 1;\n\u000B\u000C\u00A0#r \"/tmp/x.dll\"")]
    [InlineData("var s = \"\"\"\n#!pwsh\n\"\"\";")]
    [InlineData("#if DEBUG\nvar x = 1;\n#endif")]
    [InlineData("#define EVIL")]
    [InlineData("#line 1 \"elsewhere.cs\"")]
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
    [InlineData("var s = new System.IO.StringWriter();\ns.Write(Environment.NewLine);\nConsole.Write(s.ToString());")]
    [InlineData("var pairs = from i in Enumerable.Range(0, 3) where i % 2 == 0 select (i, i * i);\nforeach (var (i, sq) in pairs) Console.WriteLine($\"{i} {sq}\");")]
    [InlineData("var d = new Dictionary<string, double> { [\"a\"] = 1 };\nvar (k, v) = d.First();\nConsole.WriteLine(string.Join(\", \", d.Select(p => $\"{p.Key}={p.Value:F2}\")));")]
    [InlineData("try { throw new ArgumentException(\"bad\"); } catch (ArgumentException e) { Console.WriteLine(e.Message); }")]
    [InlineData("int[] xs = [1, 2, 3];\nvar m = Matrix<double>.Build.Dense(2, 2, (i, j) => i + j);\nConsole.WriteLine(m.ToMatrixString() + xs.Sum());")]
    [InlineData("#pragma warning disable CS0168\n#region helpers\nint unused;\n#endregion")]
    [InlineData("display(LA::Matrix<double>.Build.DenseIdentity(2));")]
    public void Lesson_code_is_allowed(string cell)
    {
        var verdict = Check(cell);

        Assert.True(verdict is null, verdict);
    }

    [Theory]
    [InlineData("var x = ;", "does not compile")]
    [InlineData("Console.WriteLine(NoSuchThing);", "CS0103")]
    [InlineData("int Twice(int a) => a * 2;\nTwice(\"x\");", "CS1503")]
    public void A_cell_that_does_not_compile_is_refused_with_the_compilers_message(string cell, string named)
    {
        var verdict = Check(cell);

        Assert.NotNull(verdict);
        Assert.Contains("does not compile", verdict, StringComparison.Ordinal);
        Assert.Contains(named, verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exercise_may_add_its_own_exclusions_on_top_of_the_list()
    {
        var exclusions = AllowList.Parse("deny Backprop.Mlp::Backward\nwhy Backprop.Mlp  the exercise asks you to write the backward pass yourself", "exercise 13.1");
        const string cell = "var net = new Mlp(new[] { 2, 3, 1 }, Activation.Tanh, Activation.Identity, seed: 0);\nvar x = Vector<double>.Build.Dense(new[] { 0.5, -1.0 });\nvar g = net.Backward(net.Forward(x), Vector<double>.Build.Dense(1), Loss.HalfSumOfSquares);";

        Assert.Null(s_policy.Value.Start().Check(cell));
        var verdict = s_policy.Value.Start().Check(cell, exclusions);
        Assert.NotNull(verdict);
        Assert.Contains("Mlp.Backward", verdict, StringComparison.Ordinal);
        Assert.Contains("write the backward pass yourself", verdict, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("permit System.Math")]
    [InlineData("allow System.Math Sqrt")]
    public void A_malformed_rule_is_a_named_error(string rule)
    {
        var e = Assert.Throws<CourseException>(() => AllowList.Parse("# fine\n" + rule, "rules.txt"));
        Assert.Contains("rules.txt, line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_list_allows_the_lessons_needs_and_refuses_by_default()
    {
        var list = AllowList.Default;
        Assert.True(list.AllowsMember("System.Math", "Tanh"));
        Assert.True(list.AllowsMember("System.Console", "WriteLine"));
        Assert.False(list.AllowsMember("System.Console", "SetOut"));
        Assert.True(list.AllowsType("MathNet.Numerics.LinearAlgebra.Double.DenseMatrix"));
        Assert.False(list.AllowsType("MathNet.Numerics.Providers.LinearAlgebra.ILinearAlgebraProvider"));
        Assert.False(list.AllowsType("Backprop.Coursework.Check"));
        Assert.False(list.AllowsMember("Plotly.NET.GenericChartExtensions", "Show"));
        Assert.False(list.AllowsType("System.IO.File"));
        Assert.False(list.AllowsType("Some.Library.NobodyListed"));
    }

    [Fact]
    public void Many_empty_cells_do_not_grow_the_checks_memory()
    {
        var checker = s_policy.Value.Start();
        checker.Check("double Square(double a) => a * a;");
        for (var i = 0; i < 50; i++)
        {
            Assert.Null(checker.Check("// nothing"));
        }

        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 400; i++)
        {
            Assert.Null(checker.Check(""));
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Null(checker.Check("Console.WriteLine(Square(3));"));
        Assert.True(after - before < 64L << 20, $"400 empty cells kept {(after - before) >> 20} MiB");
    }

    [Fact]
    public void A_later_cell_sees_what_an_earlier_cell_declared_and_is_judged_by_what_it_resolves_to()
    {
        Assert.Null(Check("double Square(double a) => a * a;", "Console.WriteLine(Square(3));"));
        Assert.NotNull(Check("using R = System.Reflection;", "var t = typeof(R.Assembly);"));
    }

    /// <summary>
    /// Lesson cells that show the kit itself (its assemblies' versions, the lesson files, a method's source file) and so use what no student
    /// cell may: a student's copy that is the instructor's cell, unchanged, is trusted and runs; an edited copy is refused.
    /// </summary>
    /// <remarks>Found by a line of each (cell numbers move when a lesson gains a cell).</remarks>
    private static readonly (string Notebook, string Line)[] s_instructorOnlyCells =
    [
        ("00-start-here.ipynb", "foreach (var assembly in new[] { typeof(Mlp).Assembly"),
        ("00-start-here.ipynb", "var lessonFiles = System.IO.Directory.GetFiles(\".\", \"*.ipynb\").Order().ToList();"),
        ("04-tanh-derivative.ipynb", "var mlpSource = System.IO.Path.Combine(\"..\", \"lib\", \"Backprop\", \"Mlp.cs\");"),
        // Draws the student's variant of 06.3 (Kit::Variant.Draw, the check API): graded as the instructor wrote it, refused if edited.
        ("06-gradient-checking.ipynb", "// A hand-written loss and gradient — with one bug somewhere."),
    ];

    [Fact]
    public void Every_lesson_cell_solution_and_stub_passes_the_check_as_a_students_cell_would()
    {
        var refused = new List<string>();
        var instructorOnly = new List<string>();
        foreach (var path in EngineFixture.Shared.InstructorNotebooks)
        {
            var instructor = NotebookDocument.Load(path);
            instructorOnly.AddRange(s_instructorOnlyCells.Where(c => c.Notebook == Path.GetFileName(path))
                .Select(c => instructor.Cells.Select((cell, i) => (cell, i + 1)).Single(x => x.cell.Source.StartsWith(c.Line, StringComparison.Ordinal)))
                .Select(x => $"{Path.GetFileName(path)} cell {x.Item2}"));
            foreach (var notebook in new[] { instructor, Release.ForStudents(instructor) })
            {
                // Every cell a student may change is checked as a student's (not trusted as the instructor's).
                var checker = s_policy.Value.Start();
                foreach (var (cell, number) in notebook.Cells.Select((c, i) => (c, i + 1)).Where(x => x.c.IsCode && x.c.Marker?.Kind != MarkerKind.Setup))
                {
                    if (cell.Marker?.Kind == MarkerKind.Check)
                    {
                        checker.Trust(cell.Source);
                    }
                    else if (checker.Check(cell.Source) is { } verdict)
                    {
                        refused.Add($"{Path.GetFileName(path)} cell {number}: {verdict}");
                        checker.Trust(cell.Source);
                    }
                }
            }
        }

        // Each instructor-only cell is refused twice (in the instructor's notebook and in the release), and no other cell is.
        Assert.Equal(s_instructorOnlyCells.Length, instructorOnly.Count);
        var expected = instructorOnly.SelectMany(c => new[] { c, c }).Order(StringComparer.Ordinal);
        var actual = refused.Select(r => r[..r.IndexOf(':', StringComparison.Ordinal)]).Order(StringComparer.Ordinal);
        Assert.True(expected.SequenceEqual(actual), "refused:\n" + string.Join("\n", refused));
    }
}
