using System.Text;
using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Libvirt.Xml;

namespace VfioKit.Tests.Formats.Libvirt;

/// <summary>The document keeps every byte: reading and writing any fixture gives the same bytes, and an edit
/// changes only the lines it must (the rest of the file compared line by line).</summary>
public class DomainXmlRoundTripTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestPaths.DataFile("libvirt"), "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(TestPaths.DataFile("libvirt"), f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Read_then_write_is_byte_identical(string fixture)
    {
        var path = TestPaths.DataFile("libvirt", fixture);
        var bytes = File.ReadAllBytes(path);
        var doc = DomainXml.Load(path);
        Assert.Equal(bytes, doc.Source.ToBytes());
        Assert.Equal(bytes, DomainXml.Apply(doc.Edit()).Source.ToBytes()); // an empty edit too
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_element_span_holds_exactly_that_element(string fixture)
    {
        var doc = DomainXml.Load(TestPaths.DataFile("libvirt", fixture));
        foreach (var e in doc.Root.DescendantsAndSelf())
        {
            var source = doc.Source.SourceOf(e);
            var reparsed = System.Xml.Linq.XElement.Parse(WithNamespaces(source, e), System.Xml.Linq.LoadOptions.PreserveWhitespace).Elements().First();
            Assert.Equal(e.Name.LocalName, reparsed.Name.LocalName);
            Assert.Equal(e.Attributes().Count(a => !a.IsNamespaceDeclaration), reparsed.Attributes().Count(a => !a.IsNamespaceDeclaration));
        }
    }

    private const string Sample = """
        <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
          <!-- my gaming VM: do not touch -->
          <name>win11</name>
          <devices>
            <controller type="pci" index="8"   model="pcie-root-port">
              <model name="ioh3420"/>
              <target chassis="8" port="0x10"/>
            </controller>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source>
                <address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
              </source>
              <address type='pci' domain='0x0000' bus='0x08' slot='0x00' function='0x0' multifunction='on'/>
            </hostdev>
          </devices>
          <qemu:commandline>
            <qemu:arg value='-global'/>
            <qemu:arg value='pcie-root-port.x-speed=8'/>
          </qemu:commandline>
        </domain>
        """;

    [Fact]
    public void Setting_an_attribute_changes_only_its_value_and_keeps_the_quote_style()
    {
        var doc = DomainXml.Parse(Sample);
        var model = doc.PciControllers.Single().Element.Element("model")!;
        var text = doc.Edit().SetAttribute(model, "name", "pcie-root-port").ToText();
        AssertOnlyLinesChanged(Sample, text, ["      <model name=\"pcie-root-port\"/>"]);
    }

    [Fact]
    public void A_new_attribute_goes_after_the_last_one_with_the_element_quote_style()
    {
        var doc = DomainXml.Parse(Sample);
        var target = doc.PciControllers.Single().Target!;
        var text = doc.Edit().SetAttribute(target, "hotplug", "off").ToText();
        AssertOnlyLinesChanged(Sample, text, ["      <target chassis=\"8\" port=\"0x10\" hotplug=\"off\"/>"]);
    }

    [Fact]
    public void Removing_an_element_removes_its_whole_lines_only()
    {
        var doc = DomainXml.Parse(Sample);
        var text = doc.Edit().Remove(doc.PciControllers.Single().Element.Element("model")!).ToText();
        Assert.Equal(Sample.Split('\n').Where(l => !l.Contains("ioh3420")), text.Split('\n'));
    }

    [Fact]
    public void Appending_a_child_uses_the_sibling_indentation()
    {
        var doc = DomainXml.Parse(Sample);
        var text = doc.Edit().AppendChild(doc.DevicesElement!, "<controller type='pci' index='9' model='pcie-root-port'>\n  <target chassis='9' port='0x11'/>\n</controller>").ToText();
        var lines = text.Split('\n');
        var at = Array.FindIndex(lines, l => l.Contains("index='9'"));
        Assert.Equal("    <controller type='pci' index='9' model='pcie-root-port'>", lines[at]);
        Assert.Equal("      <target chassis='9' port='0x11' />", lines[at + 1]);
        Assert.Equal("    </controller>", lines[at + 2]);
        Assert.Equal("  </devices>", lines[at + 3]);
        Assert.Equal(Sample.Split('\n').Length + 3, lines.Length);
        Assert.Equal(9, DomainXml.Parse(text).PciControllers.Last().Index);
    }

    [Fact]
    public void Inserted_elements_take_the_quote_and_indentation_of_the_file()
    {
        // A hand-written domain in double quotes, indented by tabs: what a fix inserts looks like the rest of it.
        var source = Sample.Replace('\'', '"').Replace("  ", "\t", StringComparison.Ordinal);
        var doc = DomainXml.Parse(source);
        var controller = new System.Xml.Linq.XElement("controller", new System.Xml.Linq.XAttribute("type", "pci"),
            new System.Xml.Linq.XAttribute("index", "9"), new System.Xml.Linq.XAttribute("model", "pcie-root-port"),
            new System.Xml.Linq.XElement("target", new System.Xml.Linq.XAttribute("chassis", "9")));
        var text = doc.Edit().InsertAfter(doc.PciControllers.Single().Element, controller).ToText();
        var lines = text.Split('\n');
        var at = Array.FindIndex(lines, l => l.Contains("index=\"9\"", StringComparison.Ordinal));
        Assert.Equal("\t\t<controller type=\"pci\" index=\"9\" model=\"pcie-root-port\">", lines[at]);
        Assert.Equal("\t\t\t<target chassis=\"9\" />", lines[at + 1]);
        Assert.Equal("\t\t</controller>", lines[at + 2]);
        Assert.Equal(9, DomainXml.Parse(text).PciControllers.Last().Index);

        // Text given as a fragment is written again in the file's style, not pasted as it came.
        var pasted = doc.Edit().AppendChild(doc.PciControllers.Single().Element, "<address type='pci' bus='0x00' slot='0x1c'/>").ToText();
        Assert.Contains("\t\t\t<address type=\"pci\" bus=\"0x00\" slot=\"0x1c\" />", pasted);
    }

    [Fact]
    public void Several_edits_in_one_element_compose_and_comments_survive()
    {
        var doc = DomainXml.Parse(Sample);
        var address = doc.Hostdevs.Single().Address!.Element;
        var edited = DomainXml.Apply(doc.Edit().SetAttribute(address, "bus", "0x09").RemoveAttribute(address, "multifunction"));
        Assert.Contains("<!-- my gaming VM: do not touch -->", edited.Text);
        Assert.Equal(9, edited.Hostdevs.Single().Address!.Bus);
        Assert.Null(edited.Hostdevs.Single().Address!.Multifunction);
        AssertOnlyLinesChanged(Sample, edited.Text, ["      <address type='pci' domain='0x0000' bus='0x09' slot='0x00' function='0x0'/>"]);
    }

    [Fact]
    public void Overlapping_edits_are_refused()
    {
        var doc = DomainXml.Parse(Sample);
        var hostdev = doc.Hostdevs.Single();
        var edit = doc.Edit().Remove(hostdev.Element).SetAttribute(hostdev.Address!.Element, "bus", "0x01");
        Assert.Throws<InvalidOperationException>(() => edit.ToText());
    }

    [Fact]
    public void Crlf_files_and_a_byte_order_mark_are_kept()
    {
        var crlf = Sample.Replace("\n", "\r\n", StringComparison.Ordinal);
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(crlf)).ToArray();
        var doc = DomainXml.FromBytes(bytes, "crlf.xml");
        Assert.Equal(bytes, doc.Source.ToBytes());
        var edited = DomainXml.Apply(doc.Edit().InsertAfter(doc.PciControllers.Single().Element, "<controller type='pci' index='9' model='pcie-root-port'/>"));
        Assert.DoesNotContain("\r\r", edited.Text);
        Assert.Equal(crlf.Split("\r\n").Length + 1, edited.Text.Split("\r\n").Length);
    }

    private static void AssertOnlyLinesChanged(string before, string after, string[] expectedChanged)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        Assert.Equal(a.Length, b.Length);
        var changed = a.Zip(b).Where(p => p.First != p.Second).Select(p => p.Second).ToArray();
        Assert.Equal(expectedChanged, changed);
    }

    /// <summary>The element's text inside a wrapper declaring the namespaces its ancestors declare.</summary>
    private static string WithNamespaces(string source, System.Xml.Linq.XElement e)
    {
        var decls = e.Ancestors().SelectMany(a => a.Attributes()).Where(a => a.IsNamespaceDeclaration).Select(a => a.ToString());
        return $"<w {string.Join(" ", decls)}>{source}</w>";
    }
}
