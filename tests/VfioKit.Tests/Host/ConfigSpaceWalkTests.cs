using CsCheck;
using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Tests.Pci;
using VfioKit.Files;

namespace VfioKit.Tests.Host;

/// <summary>
/// The host model reads only the config bytes it decodes (header, capability headers, the PCIe capability,
/// extended capability headers), as lspci does; what it keeps must decode exactly like the whole space:
/// same capability lists, same chain ends, same PCIe facts, same length as the staged whole-space read
/// (64 bytes, 256, or all of it for PCI Express) it replaces.
/// </summary>
public class ConfigSpaceWalkTests
{
    private static readonly byte[][] Real = LspciAgreementTests.AllDumps()
        .SelectMany(f => LspciDump.Load(f).Entries).Select(e => e.Config.Bytes.ToArray()).ToArray();

    [Fact]
    public void Real_config_spaces_read_sparsely_decode_like_the_whole_space()
    {
        Assert.NotEmpty(Real);
        using var tree = new SysfsTree();
        foreach (var bytes in Real)
        {
            var (sparse, _) = ReadSparse(tree, bytes);
            AssertSameDecode(ConfigSpace.Parse(bytes.AsSpan(0, ExpectedLength(bytes))), sparse);
        }
    }

    [Fact]
    public void A_pci_express_function_is_read_in_far_fewer_bytes_than_its_4096()
    {
        var express = Real.First(b => b.Length == 4096 && ConfigSpace.Parse(b).IsPciExpress);
        using var tree = new SysfsTree();
        var (sparse, nonZero) = ReadSparse(tree, express);
        Assert.Equal(4096, sparse.Length);
        Assert.True(nonZero < 512, $"{nonZero} bytes kept of 4096");
    }

    [Fact]
    public void Broken_looping_and_cut_chains_read_sparsely_decode_like_the_whole_space()
    {
        Assert.NotEmpty(Real);
        using var tree = new SysfsTree();
        // Mutations where walks go wrong: the list pointer, next pointers, extended headers, status, header type.
        var mutation = Gen.Select(Gen.Int[0, 4095], Gen.Byte, Gen.Int[0, 4]);
        Gen.Select(Gen.Int[0, Real.Length - 1], mutation.Array[1, 12], Gen.Int[0, 3]).Sample((which, edits, cut) =>
        {
            var bytes = (byte[])Real[which].Clone();
            foreach (var (at, value, kind) in edits)
            {
                var pos = kind switch
                {
                    0 => 0x34,
                    1 => 0x40 + (at % 0xc0 & ~3) + 1,
                    2 => 0x100 + (at % 0xf00 & ~3) + 2 + (at & 1),
                    3 => at % 2 == 0 ? 0x06 : 0x0e,
                    _ => at,
                };
                if (pos < bytes.Length) bytes[pos] = value;
            }
            var length = cut switch { 0 => bytes.Length, 1 => Math.Min(bytes.Length, 256), 2 => Math.Min(bytes.Length, 200), _ => 64 };
            bytes = bytes[..length];
            var (sparse, _) = ReadSparse(tree, bytes);
            AssertSameDecode(ConfigSpace.Parse(bytes.AsSpan(0, ExpectedLength(bytes))), sparse);
        }, iter: 500, threads: 1);
    }

    private static (ConfigSpace Config, int NonZero) ReadSparse(SysfsTree tree, byte[] bytes)
    {
        var file = Path.Combine(tree.Root, "config");
        File.WriteAllBytes(file, bytes);
        Assert.True(new SysfsRoot(tree.Root).TryReadRanges("config", 4096, ConfigSpaceWalk.Walk, out var read));
        return (ConfigSpace.Parse(read), read.Count(b => b != 0));
    }

    // What a whole-space reader gets as lspci stages it: 64 bytes without a capability list, 256 with one, all
    // (up to 4096) for a PCI Express or PCI-X function.
    private static int ExpectedLength(ReadOnlySpan<byte> bytes)
    {
        if ((bytes[6] & 0x10) == 0) return 64;
        var standard = ConfigSpace.Parse(bytes[..Math.Min(bytes.Length, 256)]);
        return standard.IsPciExpress || standard.Find(CapabilityId.PciX) is not null ? bytes.Length : standard.Length;
    }

    private static void AssertSameDecode(ConfigSpace whole, ConfigSpace sparse)
    {
        Assert.Equal(whole.Length, sparse.Length);
        Assert.Equal(string.Join(' ', whole.Capabilities), string.Join(' ', sparse.Capabilities));
        Assert.Equal(whole.CapabilityChainEnd, sparse.CapabilityChainEnd);
        Assert.Equal(string.Join(' ', whole.ExtendedCapabilities), string.Join(' ', sparse.ExtendedCapabilities));
        Assert.Equal(whole.ExtendedCapabilityChainEnd, sparse.ExtendedCapabilityChainEnd);
        // ImmutableArray compares by reference: the supported speeds apart, the rest as a record.
        Assert.Equal(whole.Express?.SupportedSpeeds.ToArray(), sparse.Express?.SupportedSpeeds.ToArray());
        Assert.Equal(whole.Express is { } w ? w with { SupportedSpeeds = [] } : null, sparse.Express is { } s ? s with { SupportedSpeeds = [] } : null);
        Assert.Equal(whole.SubsystemVendorId, sparse.SubsystemVendorId);
        Assert.Equal(whole.MsiXVectors, sparse.MsiXVectors);
        Assert.Equal(whole.MsiVectors, sparse.MsiVectors);
    }
}
