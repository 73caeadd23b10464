using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace Backprop.Coursework;

/// <summary>One call of a listed kit member found in a student's code: the student method that makes it, and the member called.</summary>
/// <param name="Caller">The student method whose body holds the call (the function itself, a helper, a lambda, …).</param>
/// <param name="Member">The kit member called, as "Type.Member" (e.g. "Mlp.Backward").</param>
internal sealed record KitCall(MethodBase Caller, string Member);

/// <summary>
/// Decides on the compiled code, not on its text, whether a student's function calls a listed kit member: it reads the IL
/// of the function and of every method of the student's own code it reaches, and resolves every method operand (call,
/// callvirt, newobj, ldftn, ldvirtftn) to the member it names. So an alias, <c>using static</c>, an extension call, a lambda,
/// a local function, a helper in another cell or class, or a delegate made from the member all lead to the same member.
/// </summary>
/// <remarks>
/// The student's own code is every assembly a student delegate comes from and every assembly loaded from memory (each
/// notebook cell is one); the kit's libraries and the framework are never entered, so a kit member that calls a listed one
/// internally is not a violation unless it is listed itself. Reflection is out of scope: the grader's cell policy refuses it.
/// </remarks>
internal sealed class KitCallFinder
{
    /// <summary>The kit's libraries by simple name: listed members live here, and their code is never walked.</summary>
    private static readonly HashSet<string> s_kitAssemblies = ["Backprop", "Backprop.Lessons", "Backprop.Coursework"];

    /// <summary>The simple names of the kit's libraries.</summary>
    internal static IReadOnlyCollection<string> KitAssemblyNames => s_kitAssemblies;

    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private readonly HashSet<string> notAllowed;
    private readonly HashSet<Assembly> studentAssemblies;
    private readonly HashSet<(Module, int)> visited = [];
    private readonly HashSet<Type> typesWalked = [];
    private readonly StudentObjects objects;

    /// <param name="notAllowed">Full names of kit types (every member) or members (every overload), e.g. "Backprop.Mlp.Backward".</param>
    /// <param name="studentAssemblies">Assemblies of the student's own code besides those loaded from memory.</param>
    /// <param name="targets">The targets of the delegates under check (a notebook cell's submission object, a closure): where
    /// the values of the student's variables are read from.</param>
    public KitCallFinder(IEnumerable<string> notAllowed, IEnumerable<Assembly> studentAssemblies, IEnumerable<object?> targets)
    {
        this.notAllowed = [.. notAllowed];
        this.studentAssemblies = [.. studentAssemblies];
        objects = new StudentObjects(IsStudentCode);
        foreach (var target in targets)
        {
            objects.Add(target);
        }
    }

    /// <summary>Every listed member reachable from <paramref name="start"/>, each once, in the order found (none: empty).</summary>
    public IReadOnlyList<KitCall> FindAll(MethodBase start)
    {
        var found = new List<KitCall>();
        var pending = new Stack<MethodBase>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            var method = Definition(pending.Pop());
            if (!visited.Add((method.Module, method.MetadataToken)))
            {
                continue;
            }

            // A field that holds a delegate leads to the delegate's method as if the code named it (a kit member or the student's).
            foreach (var member in MembersUsed(method).SelectMany(m => DelegatesIn(m).Prepend(m)))
            {
                if (member is MethodBase called && Listed(called) is { } name)
                {
                    if (!found.Any(f => f.Member == name))
                    {
                        found.Add(new KitCall(method, name));
                    }

                    continue;
                }

                foreach (var next in CodeBehind(member))
                {
                    pending.Push(next);
                }
            }

            // An async method or an iterator is a stub that starts a state machine: its body is the machine's MoveNext.
            if (method.GetCustomAttribute<StateMachineAttribute>() is { } machine)
            {
                foreach (var next in MethodsOf(machine.StateMachineType))
                {
                    pending.Push(next);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The methods of the delegates an instance field of the student's code holds right now, in every object of the student's
    /// reachable from the delegates under check: a delegate made in another cell and kept in a variable (a field of that
    /// cell's submission object) is called through the field, so what it calls is known only from its value.
    /// </summary>
    private IEnumerable<MemberInfo> DelegatesIn(MemberInfo member)
    {
        if (member is not FieldInfo { IsStatic: false } field || field.DeclaringType is not { } type || !IsStudentCode(type.Assembly))
        {
            return [];
        }

        var delegates = objects.Reachable().Where(type.IsInstanceOfType).Select(o => ValueOf(field, o)).OfType<Delegate>()
            .SelectMany(d => d.GetInvocationList()).ToList();
        foreach (var d in delegates)
        {
            objects.Add(d.Target);   // a lambda's closure may hold further delegates
        }

        // A kit object's method (Activation.Logistic.Value) names only the method, not the member that made the object: the
        // code that stored the delegate in the field (the earlier cell) is walked too, to see how the object was made.
        var madeFromKitObjects = delegates.Any(d => d.Target is { } target && IsKit(target.GetType().Assembly));
        return delegates.Select(d => (MemberInfo)d.Method).Concat(madeFromKitObjects ? StoresInto(field) : []);
    }

    /// <summary>The methods of the field's type and of its nested types (a cell's async body, closures) whose code stores into the field.</summary>
    private static IEnumerable<MemberInfo> StoresInto(FieldInfo field)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = new List<Type> { field.DeclaringType! };
        for (int i = 0; i < types.Count; i++)
        {
            types.AddRange(types[i].GetNestedTypes(All));
        }

        return types.SelectMany(t => t.GetMethods(All).Cast<MethodBase>().Concat(t.GetConstructors(All)))
            .Where(m => MembersUsed(m).OfType<FieldInfo>().Any(f => f.MetadataToken == field.MetadataToken && f.Module == field.Module))
            .ToList();
    }

    private static object? ValueOf(FieldInfo field, object instance)
    {
        try
        {
            return field.GetValue(instance);
        }
        catch (Exception e) when (e is ArgumentException or FieldAccessException or NotSupportedException)
        {
            return null;   // a field the runtime cannot read on this object (an open generic's) holds nothing this check can follow
        }
    }

    /// <summary>"Type.Member" when <paramref name="method"/> is listed, by its member name or its whole type; otherwise null.</summary>
    private string? Listed(MethodBase method)
    {
        var type = method.DeclaringType;
        if (type is null || !IsKit(type.Assembly))
        {
            return null;
        }

        var typeName = TypeName(type);
        var member = MemberName(method);
        return notAllowed.Contains(typeName) || notAllowed.Contains($"{typeName}.{member}") ? $"{type.Name}.{member}" : null;
    }

    /// <summary>A type's full name as a student writes it: nested types with '.', generic types without their arity.</summary>
    internal static string TypeName(Type type)
    {
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return (definition.FullName ?? definition.Name).Replace('+', '.');
    }

    /// <summary>The member a method belongs to: a property's or event's name for its accessors, the type's name for a constructor.</summary>
    internal static string MemberName(MethodBase method) => method switch
    {
        ConstructorInfo => method.DeclaringType!.Name,
        { IsSpecialName: true, Name: var n } when n.StartsWith("get_", StringComparison.Ordinal) || n.StartsWith("set_", StringComparison.Ordinal) => n[4..],
        { IsSpecialName: true, Name: var n } when n.StartsWith("add_", StringComparison.Ordinal) => n[4..],
        { IsSpecialName: true, Name: var n } when n.StartsWith("remove_", StringComparison.Ordinal) => n[7..],
        _ => method.Name,
    };

    /// <summary>The student's code a used member leads to: a method of the student's, and for a type of the student's it constructs or whose static field it reads, the code that type runs.</summary>
    private IEnumerable<MethodBase> CodeBehind(MemberInfo member)
    {
        var type = member as Type ?? member.DeclaringType;
        if (type is null || !IsStudentCode(type.Assembly))
        {
            return [];
        }

        // The compiler's own types (closures, the cache of lambdas) are reached through the ldftn of each lambda; walking all
        // their methods would charge one function with every lambda of its cell.
        bool written = !type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);
        return member switch
        {
            // A constructed type of the student's may be called later through a base class or an interface (a virtual call
            // names the base's method), so every method it declares counts as reached.
            ConstructorInfo when written => MethodsOf(type),
            // A struct needs no constructor call to exist (initobj, default): naming it in box, initobj or constrained.
            // reaches its methods the same way.
            Type { IsValueType: true } when written => MethodsOf(type),
            MethodBase method => [method],
            FieldInfo { IsStatic: true } when written => type.TypeInitializer is { } initializer ? [initializer] : [],
            _ => [],
        };
    }

    /// <summary>Every method and constructor a type declares, those of its nested types (closures, state machines) too.</summary>
    private IEnumerable<MethodBase> MethodsOf(Type type)
    {
        if (!typesWalked.Add(type))
        {
            return [];
        }

        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        return type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)).Concat(type.TypeInitializer is { } t ? [t] : [])
            .ToList();
    }

    /// <summary>Whether an assembly is one of the kit's libraries.</summary>
    internal static bool IsKit(Assembly assembly) => !assembly.IsDynamic && s_kitAssemblies.Contains(assembly.GetName().Name ?? "");

    internal bool IsStudentCode(Assembly assembly) =>
        !IsKit(assembly)
        && (studentAssemblies.Contains(assembly) || assembly.IsDynamic || string.IsNullOrEmpty(assembly.Location));

    /// <summary>The method as declared (not a generic instance), so its body resolves against its own generic parameters.</summary>
    private static MethodBase Definition(MethodBase method)
    {
        if (method is MethodInfo { IsGenericMethod: true } generic)
        {
            method = generic.GetGenericMethodDefinition();
        }

        return method.DeclaringType is { IsGenericType: true, IsGenericTypeDefinition: false }
            ? method.Module.ResolveMethod(method.MetadataToken) ?? method
            : method;
    }

    /// <summary>Every method, field and type a method's IL names.</summary>
    private static IEnumerable<MemberInfo> MembersUsed(MethodBase method)
    {
        var il = BodyOf(method)?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } m ? m.GetGenericArguments() : null;
        for (int at = 0; at < il.Length;)
        {
            bool twoBytes = il[at] == 0xFE && at + 1 < il.Length;
            short value = twoBytes ? unchecked((short)(0xFE00 | il[at + 1])) : il[at];
            at += twoBytes ? 2 : 1;
            if (!s_opCodes.TryGetValue(value, out var opCode))
            {
                yield break;   // not IL this reader knows: stop rather than misread the rest
            }

            if (opCode.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType && at + 4 <= il.Length)
            {
                if (Resolve(method.Module, BitConverter.ToInt32(il, at), typeArguments, methodArguments) is { } member)
                {
                    yield return member;
                }
            }

            at += OperandSize(opCode.OperandType, il, at);
        }
    }

    /// <summary>A method's body, or null without one: the browser's runtime (Mono) throws for a method without IL (extern, runtime-implemented) where CoreCLR returns null.</summary>
    private static MethodBody? BodyOf(MethodBase method)
    {
        try
        {
            return method.GetMethodBody();
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or MissingMemberException or BadImageFormatException)
        {
            return null;   // a member the runtime cannot resolve here cannot be a kit member either
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int at) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
