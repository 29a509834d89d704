using System.Xml;
using System.Xml.Linq;
using VfioKit.Diagnostics;

namespace VfioKit.Libvirt;

/// <summary>
/// Defines a new domain as one step that can be undone (`new --define`): never over an existing one (a domain of
/// that name is refused once, by <see cref="ForName"/>, before the caller plans the VM; the XML then carries its own
/// UUID so that one defined meanwhile makes libvirt refuse rather than replace it), then
/// <see cref="DomainRedefinition.DefineAndCheck"/> as `fix --define` does: libvirt's schema check, the definition
/// read back and checked. When the read-back does not check out, the new domain is undefined again, so the host
/// ends as it was.
/// </summary>
public sealed class DomainCreation
{
    private readonly LibvirtConnection _connection;

    private DomainCreation(LibvirtConnection connection, string name)
    {
        _connection = connection;
        Name = name;
    }

    /// <summary>The name no domain had at the connection when this creation was started.</summary>
    public string Name { get; }

    /// <summary>A creation of the domain <paramref name="name"/>; bad input when a domain of this name is already
    /// defined (or running) at the connection.</summary>
    public static DomainCreation ForName(LibvirtConnection connection, string name)
    {
        LibvirtDomainName? existing = null;
        try { existing = connection.Domain(name); }
        catch (InputException) { } // no such domain: the one case to go on
        if (existing is not null)
            throw new InputException("--name", $"a domain named '{name}' already exists on {connection.Uri} ({existing.Uuid}): new --define does not replace it; choose another --name, or undefine it first");
        return new DomainCreation(connection, name);
    }

    /// <param name="xml">The domain, named <see cref="Name"/>.</param>
    /// <param name="check">Given the XML libvirt reads back, null when it is right, else what is wrong.</param>
    public CreationResult Apply(string xml, Func<string, string?> check)
    {
        if (NameOf(xml) is var named && named != Name)
            throw new InputException("--name", $"the domain XML is named '{named}', not '{Name}', the name found free on {_connection.Uri}");
        var withUuid = WithUuid(xml);
        var (defined, readBack, problem) = DomainRedefinition.DefineAndCheck(_connection, withUuid, null, check);
        if (problem is null) return new CreationResult(defined!, withUuid, readBack!, true, null);
        if (defined is null) return new CreationResult(null, withUuid, null, false, problem);
        try
        {
            _connection.Undefine(defined.Uuid);
        }
        catch (LibvirtException e)
        {
            throw new LibvirtException($"{problem}; undefining the new domain failed too ({e.Message}): '{defined.Name}' ({defined.Uuid}) is left defined on {_connection.Uri}", e.Uri, e.Code, e);
        }
        return new CreationResult(defined, withUuid, readBack, false, problem);
    }

    private static string NameOf(string xml)
    {
        try
        {
            if (XDocument.Parse(xml).Root?.Element("name")?.Value is { Length: > 0 } name) return name;
        }
        catch (XmlException) { }
        throw new InputException("--name", "the domain XML has no <name>");
    }

    /// <summary>The XML with a fresh &lt;uuid&gt; after &lt;name&gt; when it has none (text insertion: the rest stays byte for byte).</summary>
    private static string WithUuid(string xml)
    {
        if (XDocument.Parse(xml).Root?.Element("uuid") is not null) return xml;
        var end = xml.IndexOf("</name>", StringComparison.Ordinal);
        var lineStart = xml.LastIndexOf('\n', end) + 1;
        var indent = xml[lineStart..end].Length - xml[lineStart..end].TrimStart().Length;
        var insert = "\n" + new string(' ', indent) + $"<uuid>{Guid.NewGuid()}</uuid>";
        return xml.Insert(end + "</name>".Length, insert);
    }
}

/// <summary>What <see cref="DomainCreation.Apply"/> did: the domain (null when libvirt refused the XML), the XML sent,
/// the XML libvirt read back, whether it is now defined, and the problem that undid it.</summary>
public sealed record CreationResult(LibvirtDomainName? Domain, string Xml, string? ReadBack, bool Defined, string? Problem);
