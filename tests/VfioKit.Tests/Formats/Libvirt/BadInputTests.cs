using System.Text;
using CsCheck;
using VfioKit.Diagnostics;
using VfioKit.Formats.Libvirt;

namespace VfioKit.Tests.Formats.Libvirt;

/// <summary>Broken files (malformed, truncated, binary, bit-flipped) give an InputException naming the
/// file and line, never another exception: a property over random mutations of every fixture.</summary>
public class BadInputTests
{
    private static readonly string[] Fixtures =
        Directory.GetFiles(TestPaths.DataFile("libvirt"), "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Reads as vfiokit does: parse, then map to the VM model (which runs libvirt's addressing).</summary>
    private static void ReadAll(byte[] bytes, string origin)
    {
        var doc = DomainXml.FromBytes(bytes, origin);
        _ = doc.Devices; _ = doc.Hostdevs; _ = doc.PciControllers; _ = doc.QemuCommandline?.Args; _ = doc.Cpu?.Features;
        LibvirtTopology.Read(doc);
    }

    private static void AssertReadsOrReports(byte[] bytes, string origin)
    {
        try { ReadAll(bytes, origin); }
        catch (InputException e)
        {
            Assert.Equal(origin, e.Origin);
            Assert.True(e.Line is > 0, $"no line in: {e.Describe()}");
        }
    }

    [Fact]
    public void Mutated_fixtures_read_or_report_file_and_line()
    {
        Gen.Select(Gen.Int[0, Fixtures.Length - 1], Gen.Int[0, 5], Gen.Int[0, 1 << 20], Gen.Int[1, 64], Gen.Byte.Array[1, 16])
            .Sample((file, kind, at, length, junk) =>
            {
                var bytes = File.ReadAllBytes(Fixtures[file]);
                var pos = at % (bytes.Length + 1);
                var len = Math.Min(length, bytes.Length - pos);
                byte[] mutated = kind switch
                {
                    0 => bytes[..pos],                                            // truncated
                    1 => [.. bytes[..pos], .. junk, .. bytes[pos..]],             // garbage inserted
                    2 => [.. bytes[..pos], .. bytes[(pos + len)..]],              // a range deleted
                    3 => [.. bytes[..pos], .. bytes[pos..(pos + len)], .. bytes[pos..]], // a range doubled
                    4 => Flip(bytes, pos, junk),                                  // bytes overwritten
                    _ => [.. bytes[..pos], .. Encoding.UTF8.GetBytes("<address type='pci' bus='zz' slot='0x99'/>"), .. bytes[pos..]],
                };
                AssertReadsOrReports(mutated, "mutated.xml");
            }, iter: 3000);
    }

    [Fact]
    public void Binary_garbage_reports_file_and_line()
    {
        Gen.Byte.Array[0, 4096].Sample(bytes => AssertReadsOrReports(bytes, "garbage.bin"), iter: 500);
    }

    [Theory]
    [InlineData("", "Root element is missing")]
    [InlineData("<domain type='kvm'><name>x</name>", "malformed XML")]
    [InlineData("<domain><devices><hostdev></devices></domain>", "malformed XML")]
    [InlineData("\0\u0001\u0002ELF", "malformed XML")]
    [InlineData("<network><name>x</name></network>", "not a libvirt domain")]
    [InlineData("<domain><os><type machine='microvm'>hvm</type></os></domain>", "not an x86 pc or q35")]
    [InlineData("<domain><devices><hostdev mode='subsystem' type='pci'><address type='pci' bus='0x100' slot='0'/></hostdev></devices></domain>", "bus='0x100'")]
    [InlineData("<domain><devices><controller type='pci' index='one' model='pcie-root-port'/></devices></domain>", "index 'one'")]
    public void Known_bad_inputs_name_the_problem(string text, string expected)
    {
        var e = Assert.Throws<InputException>(() => ReadAll(Encoding.UTF8.GetBytes(text), "bad.xml"));
        Assert.Equal("bad.xml", e.Origin);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.Line);
    }

    [Fact]
    public void Invalid_utf8_names_the_line()
    {
        var bytes = Encoding.UTF8.GetBytes("<domain>\n<name>\n").Concat(new byte[] { 0xff, 0xfe }).Concat(Encoding.UTF8.GetBytes("</name></domain>")).ToArray();
        var e = Assert.Throws<InputException>(() => ReadAll(bytes, "bad.xml"));
        Assert.Equal(3, e.Line);
    }

    private static byte[] Flip(byte[] bytes, int pos, byte[] junk)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < junk.Length && pos + i < copy.Length; i++) copy[pos + i] = junk[i];
        return copy;
    }
}
