using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace VfioKit.Tests.Architecture;

/// <summary>Which namespaces use which, read from a compiled assembly: every type a type names in its base
/// type, interfaces, fields, signatures, attributes, locals and method bodies. Read from the IL rather than the
/// <c>using</c> lines, so fully qualified names and <c>global using</c> count too. Nested and compiler-made types
/// (lambdas, iterators) count for the namespace of their outermost type.</summary>
public sealed class NamespaceGraph
{
    private readonly Dictionary<string, HashSet<string>> _edges;
    private readonly Dictionary<(string From, string To), string> _witness = new();

    public NamespaceGraph(IReadOnlyDictionary<string, IReadOnlyCollection<string>> edges)
    {
        _edges = new(StringComparer.Ordinal);
        foreach (var (from, tos) in edges)
        {
            Add(from);
            foreach (var to in tos) { Add(to); if (to != from) _edges[from].Add(to); }
        }
    }

    private NamespaceGraph(Dictionary<string, HashSet<string>> edges, Dictionary<(string, string), string> witness)
    {
        _edges = edges;
        _witness = witness;
    }

    public IEnumerable<string> Namespaces => _edges.Keys.Order(StringComparer.Ordinal);

    public IReadOnlySet<string> Uses(string ns) => _edges.TryGetValue(ns, out var s) ? s : new HashSet<string>();

    /// <summary>One type-level reason for the edge, "A.Type uses B.Type", for failure messages.</summary>
    public string Why(string from, string to) => _witness.TryGetValue((from, to), out var w) ? w : $"{from} uses {to}";

    private void Add(string ns) { if (!_edges.ContainsKey(ns)) _edges[ns] = new(StringComparer.Ordinal); }

    /// <summary>Reads the namespaces under <paramref name="prefix"/> that the assembly's own types use;
    /// types of other assemblies count when their namespace has the prefix (the CLI's view of the core).</summary>
    public static NamespaceGraph Read(string assemblyPath, string prefix)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var witness = new Dictionary<(string, string), string>();
        foreach (var h in md.TypeDefinitions)
        {
            var from = OwnNamespace(md, h);
            if (!from.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (!edges.TryGetValue(from, out var set)) edges[from] = set = new(StringComparer.Ordinal);
            var used = new Dictionary<string, string>(StringComparer.Ordinal);
            new Collector(md, used, prefix).VisitType(h, pe);
            foreach (var (to, type) in used)
            {
                if (to == from) continue;
                set.Add(to);
                witness.TryAdd((from, to), $"{OwnName(md, h)} uses {type}");
            }
        }
        return new NamespaceGraph(edges, witness);
    }

    internal static string OwnNamespace(MetadataReader md, TypeDefinitionHandle h)
    {
        var t = md.GetTypeDefinition(h);
        while (t.GetDeclaringType() is { IsNil: false } outer) t = md.GetTypeDefinition(outer);
        return md.GetString(t.Namespace);
    }

    private static string OwnName(MetadataReader md, TypeDefinitionHandle h)
    {
        var t = md.GetTypeDefinition(h);
        while (t.GetDeclaringType() is { IsNil: false } outer) t = md.GetTypeDefinition(outer);
        return md.GetString(t.Namespace) + "." + md.GetString(t.Name);
    }

    /// <summary>Walks one type's metadata, adding every namespace it names.</summary>
    private sealed class Collector(MetadataReader md, Dictionary<string, string> into, string prefix) : ISignatureTypeProvider<object?, object?>
    {
        public void VisitType(TypeDefinitionHandle h, PEReader pe)
        {
            var t = md.GetTypeDefinition(h);
            Entity(t.BaseType);
            foreach (var i in t.GetInterfaceImplementations()) Entity(md.GetInterfaceImplementation(i).Interface);
            Attributes(t.GetCustomAttributes());
            GenericParameters(t.GetGenericParameters());
            foreach (var f in t.GetFields())
            {
                var field = md.GetFieldDefinition(f);
                field.DecodeSignature(this, null);
                Attributes(field.GetCustomAttributes());
            }
            foreach (var p in t.GetProperties())
            {
                var prop = md.GetPropertyDefinition(p);
                prop.DecodeSignature(this, null);
                Attributes(prop.GetCustomAttributes());
            }
            foreach (var e in t.GetEvents()) Entity(md.GetEventDefinition(e).Type);
            foreach (var m in t.GetMethods())
            {
                var method = md.GetMethodDefinition(m);
                method.DecodeSignature(this, null);
                Attributes(method.GetCustomAttributes());
                GenericParameters(method.GetGenericParameters());
                foreach (var p in method.GetParameters()) Attributes(md.GetParameter(p).GetCustomAttributes());
                if (method.RelativeVirtualAddress != 0) Body(pe.GetMethodBody(method.RelativeVirtualAddress));
            }
        }

        private void GenericParameters(GenericParameterHandleCollection ps)
        {
            foreach (var g in ps)
                foreach (var c in md.GetGenericParameter(g).GetConstraints())
                    Entity(md.GetGenericParameterConstraint(c).Type);
        }

        private void Attributes(CustomAttributeHandleCollection attrs)
        {
            foreach (var a in attrs) Entity(md.GetCustomAttribute(a).Constructor);
        }

        private void Body(MethodBodyBlock body)
        {
            if (!body.LocalSignature.IsNil)
                md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
            foreach (var region in body.ExceptionRegions) Entity(region.CatchType);
            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                int op = il.ReadByte();
                if (op == 0xFE) op = 0xFE00 | il.ReadByte();
                var size = IlOperands.Size(op, ref il);
                if (size == IlOperands.Token)
                {
                    var token = il.ReadInt32();
                    var table = token >>> 24;
                    if (table == 0x70) continue; // ldstr: a user string, no type
                    if (table == 0x11)
                    {
                        md.GetStandaloneSignature(MetadataTokens.StandaloneSignatureHandle(token & 0xFFFFFF)).DecodeMethodSignature(this, null);
                        continue;
                    }
                    Entity(MetadataTokens.EntityHandle(token));
                }
                else il.Offset += size;
            }
        }

        public void Entity(EntityHandle h)
        {
            if (h.IsNil) return;
            switch (h.Kind)
            {
                case HandleKind.TypeDefinition: Name(OwnName(md, (TypeDefinitionHandle)h), OwnNamespace(md, (TypeDefinitionHandle)h)); break;
                case HandleKind.TypeReference: RefName((TypeReferenceHandle)h); break;
                case HandleKind.TypeSpecification: md.GetTypeSpecification((TypeSpecificationHandle)h).DecodeSignature(this, null); break;
                case HandleKind.MethodDefinition: Entity(md.GetMethodDefinition((MethodDefinitionHandle)h).GetDeclaringType()); break;
                case HandleKind.FieldDefinition: Entity(md.GetFieldDefinition((FieldDefinitionHandle)h).GetDeclaringType()); break;
                case HandleKind.MemberReference:
                    var member = md.GetMemberReference((MemberReferenceHandle)h);
                    Entity(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method) member.DecodeMethodSignature(this, null);
                    else member.DecodeFieldSignature(this, null);
                    break;
                case HandleKind.MethodSpecification:
                    var spec = md.GetMethodSpecification((MethodSpecificationHandle)h);
                    Entity(spec.Method);
                    spec.DecodeSignature(this, null);
                    break;
            }
        }

        private void RefName(TypeReferenceHandle h)
        {
            var r = md.GetTypeReference(h);
            while (r.ResolutionScope.Kind == HandleKind.TypeReference) r = md.GetTypeReference((TypeReferenceHandle)r.ResolutionScope);
            var ns = md.GetString(r.Namespace);
            Name(ns + "." + md.GetString(r.Name), ns);
        }

        private void Name(string type, string ns)
        {
            if (ns.StartsWith(prefix, StringComparison.Ordinal)) into.TryAdd(ns, type);
        }

        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) { Entity(handle); return null; }
        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) { Entity(handle); return null; }
        public object? GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) { Entity(handle); return null; }
        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;
        public object? GetSZArrayType(object? elementType) => null;
        public object? GetArrayType(object? elementType, ArrayShape shape) => null;
        public object? GetByReferenceType(object? elementType) => null;
        public object? GetPointerType(object? elementType) => null;
        public object? GetPinnedType(object? elementType) => null;
        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;
        public object? GetGenericTypeParameter(object? genericContext, int index) => null;
        public object? GetGenericMethodParameter(object? genericContext, int index) => null;
        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;
        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;
        public object? GetTypeFromSerializedName(string name) => null;
        public PrimitiveTypeCode GetUnderlyingEnumType(object? type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(object? type) => false;
        public object? GetSystemType() => null;
    }
}
