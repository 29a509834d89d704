using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>Writes config spaces as an lspci dump to a temporary file and asserts that the decoder and
/// <c>lspci -F</c> agree on every one of them.</summary>
public static class LspciOracle
{
    public static void AssertAgrees(params ConfigSpace[] configs)
    {
        var dump = new LspciDump(configs.Select((c, i) => new LspciDumpEntry(new PciAddress(0, 1, i, 0), "", c)));
        var file = Path.Combine(Path.GetTempPath(), $"vfiokit-pci-{Guid.NewGuid():N}.txt");
        try
        {
            dump.Save(file);
            AssertAgreement(dump, file);
        }
        finally { File.Delete(file); }
    }

    /// <summary>lspci's lines for the capabilities of one config space ("[40] Power Management version 3").</summary>
    public static IReadOnlyList<string> CapabilityLines(ConfigSpace config)
    {
        var dump = new LspciDump([new LspciDumpEntry(new PciAddress(0, 1, 0, 0), "", config)]);
        var file = Path.Combine(Path.GetTempPath(), $"vfiokit-pci-{Guid.NewGuid():N}.txt");
        try
        {
            dump.Save(file);
            return LspciVerbose.Decode(file).Single().Capabilities.Select(c => c.Text).ToList();
        }
        finally { File.Delete(file); }
    }

    public static void AssertAgreement(LspciDump dump, string file)
    {
        var oracle = LspciVerbose.Decode(file);
        Assert.NotEmpty(dump.Entries);
        // lspci lists functions sorted by address, the dump keeps its own order.
        Assert.Equal(oracle.Select(o => o.Address).Order(), dump.Entries.Select(e => e.Address).Order());
        var byAddress = oracle.ToDictionary(o => o.Address);
        var differences = dump.Entries.SelectMany(e => DecoderAgreement.Differences(e, byAddress[e.Address])).ToList();
        Assert.True(differences.Count == 0, DecoderAgreement.Describe(differences));
    }
}
