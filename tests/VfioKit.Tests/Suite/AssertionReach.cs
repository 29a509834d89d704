using System.Reflection;
using System.Runtime.CompilerServices;

using VfioKit.Tests.Architecture;

namespace VfioKit.Tests.Suite;

/// <summary>
/// Whether a method can reach an assertion: a call into xunit's Assert, a thrown xunit failure, or a
/// CsCheck check (which throws on a counter-example), found by following the IL of the test assembly's
/// own methods, lambdas, local functions and async/iterator state machines. Static, so it proves that
/// an assertion exists on some path, not on every path.
/// </summary>
internal static class AssertionReach
{
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
            int op = il[i++];
            if (op == 0xFE)
                op = 0xFE00 | il[i++];
            var size = IlOperands.Size(op, il.AsSpan(i));
            // call, callvirt, newobj, ldftn, ldvirtftn: a method token.
            if (size == IlOperands.Token && op is 0x28 or 0x6F or 0x73 or 0xFE06 or 0xFE07)
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
            i += size == IlOperands.Token ? 4 : size;
        }
    }
}
