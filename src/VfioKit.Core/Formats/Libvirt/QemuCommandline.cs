using System.Xml.Linq;
using VfioKit.Formats.Qemu;
using VfioKit.Vm;

namespace VfioKit.Formats.Libvirt;

/// <summary>&lt;qemu:commandline&gt;: extra QEMU arguments libvirt passes through verbatim.</summary>
public sealed record QemuCommandline(XElement Element)
{
    public static readonly XNamespace Namespace = "http://libvirt.org/schemas/domain/qemu/1.0";

    /// <summary>Every &lt;qemu:arg value='...'/&gt; in order, with its element (for edits and line numbers).</summary>
    public IReadOnlyList<(string Value, XElement Element)> Args =>
        Element.Elements(Namespace + "arg").Select(a => (a.Attribute("value")?.Value ?? "", a)).ToList();

    /// <summary>Environment variables set by &lt;qemu:env name value/&gt;.</summary>
    public IReadOnlyList<(string Name, string Value)> Env =>
        Element.Elements(Namespace + "env").Select(e => (e.Attribute("name")?.Value ?? "", e.Attribute("value")?.Value ?? "")).ToList();

    public int? Line => Xml.SourceXml.LineOf(Element);

    /// <summary>
    /// The arguments as QEMU options: libvirt appends each &lt;qemu:arg&gt; as one word after every argument it
    /// generates (qemuBuildCommandLine ends with them), so each word is read where its element is.
    /// </summary>
    public QemuScript Options(string origin) =>
        QemuScript.FromWords(origin, Args.Select(a => new ShellWord(a.Value,
            new SourceLocation(origin, Xml.SourceXml.LineOf(a.Element) ?? 0, Xml.SourceXml.ColumnOf(a.Element) ?? 0, a.Value))).ToList());
}
