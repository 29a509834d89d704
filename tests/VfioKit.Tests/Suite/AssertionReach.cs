using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace VfioKit.Tests.Suite;

/// <summary>
/// Whether a method can reach an assertion: a call into xunit's Assert, a thrown xunit failure, or a
/// CsCheck check (which throws on a counter-example), found by following the IL of the test assembly's
/// own methods, lambdas, local functions and async/iterator state machines. Static, so it proves that
/// an assertion exists on some path, not on every path.
/// </summary>
internal static class AssertionReach
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static bool Reaches(MethodBase test)
    {
        var seen = new HashSet<MethodBase>();
        var pending = new Stack<MethodBase>();
        foreach (var own in Expand(test))
            pending.Push(own);
        while (pending.Count > 0)
        {
            var method = pending.Pop();
            if (!seen.Add(method))
                continue;
            foreach (var target in Targets(method))
            {
                if (IsAssertion(target))
                    return true;
                if (target.Module == test.Module)
                    foreach (var own in Expand(target))
                        pending.Push(own);
            }
        }
        return false;
    }

    private static bool IsAssertion(MethodBase target)
    {
        var type = target.DeclaringType;
        if (type is null)
            return false;
        if (type.FullName == "Xunit.Assert")
            return true;
        if (target is ConstructorInfo && typeof(Xunit.Sdk.XunitException).IsAssignableFrom(type))
            return true;
        return type.Namespace == "CsCheck" && type.Name == "Check" &&
               (target.Name.StartsWith("Sample", StringComparison.Ordinal) || target.Name.StartsWith("Equal", StringComparison.Ordinal));
    }

    // A method of the test assembly stands for its generic definition, its state machine's MoveNext, and
    // (when virtual) the overrides the assembly declares.
    private static IEnumerable<MethodBase> Expand(MethodBase target)
    {
        var definition = target is MethodInfo { IsGenericMethod: true } g ? g.GetGenericMethodDefinition() : target;
        if (definition.DeclaringType is { IsGenericType: true, IsGenericTypeDefinition: false } closed)
            definition = MethodBase.GetMethodFromHandle(definition.MethodHandle, closed.GetGenericTypeDefinition().TypeHandle) ?? definition;
        yield return definition;
        var machine = definition.GetCustomAttribute<StateMachineAttribute>()?.StateMachineType;
        if (machine?.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) is { } moveNext)
            yield return moveNext;
        if (definition is MethodInfo { IsVirtual: true } virtualMethod && virtualMethod.DeclaringType is { } declaring)
            foreach (var type in declaring.Assembly.GetTypes().Where(t => t != declaring && declaring.IsAssignableFrom(t)))
                if (type.GetMethod(virtualMethod.Name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly,
                        virtualMethod.GetParameters().Select(p => p.ParameterType).ToArray()) is { } over)
                    yield return over;
    }

    private static IEnumerable<MethodBase> Targets(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method is MethodInfo { IsGenericMethod: true } m ? m.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i++];
            if (value == 0xFE)
                value = unchecked((short)(0xFE00 | il[i++]));
            var op = OpCodesByValue[value];
            var size = OperandSize(op, il, i);
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? target = null;
                try
                {
                    target = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                }
                catch (ArgumentException)
                {
                    // A member of a generic context the resolver cannot close; not ours to follow.
                }
                if (target is not null)
                    yield return target;
            }
            i += size;
        }
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
