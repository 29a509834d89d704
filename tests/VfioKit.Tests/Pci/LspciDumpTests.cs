using VfioKit.Diagnostics;
using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>Reading and writing the lspci -x/-xxx/-xxxx text: what pciutils writes and reads back.</summary>
public class LspciDumpTests
{
    private static string OwnDump => Path.Combine(TestPaths.RepoRoot, "tests", "VfioKit.Tests", "Pci", "Dumps", "qemu-q35.txt");

    [Fact]
    public void Writing_a_parsed_dump_gives_back_the_same_text()
    {
        var text = File.ReadAllText(OwnDump);
        Assert.Equal(text, LspciDump.Parse(text, OwnDump).ToText());
    }

    [Fact]
    public void Reads_what_lspci_itself_prints_with_x_and_verbose_lines()
    {
        // lspci -vvxxxx of the same dump: verbose lines between header and rows, names from pci.ids.
        var verbose = Lspci(["-F", OwnDump, "-vvxxxx"]);
        var fromLspci = LspciDump.Parse(verbose, "lspci -vvxxxx");
        var original = LspciDump.Load(OwnDump);
        Assert.Equal(original.Entries.Length, fromLspci.Entries.Length);
        var byAddress = fromLspci.Entries.ToDictionary(e => e.Address);
        foreach (var e in original.Entries)
            Assert.True(e.Config.Bytes.SequenceEqual(byAddress[e.Address].Config.Bytes), $"bytes of {e.Address}");
        Assert.StartsWith("Host bridge: Intel Corporation", byAddress[PciAddress.Parse("00:00.0")].Description);
    }

    [Fact]
    public void Lengths_follow_the_highest_byte_written()
    {
        var x = LspciDump.Parse(Lspci(["-F", OwnDump, "-x"]));
        var xxx = LspciDump.Parse(Lspci(["-F", OwnDump, "-xxx"]));
        Assert.All(x.Entries, e => Assert.Equal(64, e.Config.Length));
        Assert.All(xxx.Entries, e => Assert.Equal(256, e.Config.Length));
        Assert.Contains(LspciDump.Load(OwnDump).Entries, e => e.Config.Length == 4096);
    }

    [Fact]
    public void Domains_and_gaps_read_as_pciutils_reads_them()
    {
        var text = "10000:c1:1f.7 Some bridge\n00: 86 80 57 0d\n10: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n30: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \n";
        var e = LspciDump.Parse(text).Entries.Single();
        Assert.Equal(new PciAddress(0x10000, 0xc1, 0x1f, 7), e.Address);
        Assert.Equal(64, e.Config.Length);
        Assert.Equal(0x8086, e.Config.VendorId);
        Assert.Equal(0xffffffff, e.Config.Dword(0x20)); // never written: all ones, like a missing device
        Assert.StartsWith("10000:c1:1f.7 Some bridge\n", new LspciDump([e]).ToText());
    }

    [Theory]
    [InlineData("00: 86 80\n", 1, 1, "function header")]
    [InlineData("00:01.0 x\n00: 86 8\n", 2, 8, "two hex digits")]
    [InlineData("00:01.0 x\n00: 86  80\n", 2, 8, "two hex digits")]
    [InlineData("00:01.0 x\n00:86 80\n", 2, 4, "space")]
    [InlineData("00:01.0 x\nzz: 86 80\n", 2, 1, "row")]
    [InlineData("00:01.0 x\nff0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n", 2, 54, "past the 4096 bytes")]
    [InlineData("00:01.0 x\n00: 86 80 57 0d\n", 1, 1, "at least 64")]
    public void Bad_text_is_an_input_error_naming_line_and_column(string text, int line, int column, string message)
    {
        var e = Assert.Throws<InputException>(() => LspciDump.Parse(text, "dump.txt"));
        Assert.Equal("dump.txt", e.Origin);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_missing_file_is_an_input_error()
    {
        var e = Assert.Throws<InputException>(() => LspciDump.Load("/nonexistent/dump.txt"));
        Assert.Equal("/nonexistent/dump.txt", e.Origin);
    }

    [Fact]
    public void An_empty_text_has_no_functions() => Assert.Empty(LspciDump.Parse("").Entries);

    private static string Lspci(string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("lspci") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"lspci {string.Join(' ', args)}: {err.Result}");
        return text;
    }
}
