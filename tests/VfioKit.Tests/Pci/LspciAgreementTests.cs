using System.Diagnostics;
using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>
/// The decoder against the machine's lspci (pciutils), both reading the same config-space dumps: every
/// lab guest dump under Data/guests, the decoder's own QEMU dump, this machine's own devices, and all of
/// them cut to the 64 bytes a non-root sysfs reader gets.
/// </summary>
public class LspciAgreementTests
{
    public static TheoryData<string> Dumps()
    {
        var data = new TheoryData<string>();
        foreach (var f in AllDumps()) data.Add(Path.GetRelativePath(TestPaths.RepoRoot, f));
        return data;
    }

    /// <summary>Guest dumps from the lab (Data/guests/&lt;case&gt;/lspci.txt) and the dumps beside these tests.</summary>
    public static IEnumerable<string> AllDumps()
    {
        var guests = TestPaths.DataFile("guests");
        var lab = Directory.Exists(guests) ? Directory.GetFiles(guests, "lspci.txt", SearchOption.AllDirectories) : [];
        var own = Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "tests", "VfioKit.Tests", "Pci", "Dumps"), "*.txt");
        return lab.Concat(own).Order(StringComparer.Ordinal);
    }

    [Fact]
    public void The_lab_guest_dumps_are_there()
    {
        var guests = TestPaths.DataFile("guests");
        Assert.True(Directory.Exists(guests) && Directory.GetFiles(guests, "lspci.txt", SearchOption.AllDirectories).Length > 0,
            $"no lab guest dumps under {guests}: merge branch 'lab' (scripts/lab makes them)");
    }

    [Theory]
    [MemberData(nameof(Dumps))]
    public void Decoder_agrees_with_lspci(string dump)
    {
        var path = Path.Combine(TestPaths.RepoRoot, dump);
        LspciOracle.AssertAgreement(LspciDump.Load(path), path);
    }

    [Theory]
    [MemberData(nameof(Dumps))]
    public void Decoder_agrees_with_lspci_on_64_byte_reads(string dump)
    {
        var full = LspciDump.Load(Path.Combine(TestPaths.RepoRoot, dump));
        var cut = new LspciDump(full.Entries.Select(e => e with { Config = ConfigSpace.Parse(e.Config.Bytes[..ConfigSpace.HeaderLength]) }));
        var file = Path.Combine(Path.GetTempPath(), $"vfiokit-pci-{Guid.NewGuid():N}.txt");
        try
        {
            cut.Save(file);
            LspciOracle.AssertAgreement(cut, file);
            Assert.All(cut.Entries, e => Assert.Null(e.Config.Express));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Decoder_agrees_with_lspci_on_this_machines_devices()
    {
        // lspci -xxxx reads this machine's real config spaces (4096 bytes as root, 64 otherwise).
        var psi = new ProcessStartInfo("lspci") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-xxxx");
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        var file = Path.Combine(Path.GetTempPath(), $"vfiokit-pci-host-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllText(file, text);
            var dump = LspciDump.Parse(text, file);
            Assert.NotEmpty(dump.Entries);
            LspciOracle.AssertAgreement(dump, file);
        }
        finally { File.Delete(file); }
    }
}
