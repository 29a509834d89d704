using CsCheck;
using VfioKit.Diagnostics;
using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>Random and mutated bytes: the decoder never throws anything but its documented exceptions,
/// and whatever it returns keeps the spec's ranges.</summary>
public class ConfigSpacePropertyTests
{
    /// <summary>Config spaces of real QEMU guests (the lab's and this folder's dumps), to mutate.</summary>
    private static readonly byte[][] Real = LspciAgreementTests.AllDumps()
        .SelectMany(f => LspciDump.Load(f).Entries).Select(e => e.Config.Bytes.ToArray()).ToArray();

    [Fact]
    public void Random_bytes_decode_or_fail_with_FormatException_for_a_wrong_length()
    {
        Gen.Byte.Array[0, 4200].Sample(bytes =>
        {
            var ok = bytes.Length is >= 64 and <= 4096;
            Assert.Equal(ok, ConfigSpace.TryParse(bytes, out var viaTry));
            if (!ok)
            {
                Assert.Throws<FormatException>(() => ConfigSpace.Parse(bytes));
                return;
            }
            AssertWellFormed(ConfigSpace.Parse(bytes));
            AssertWellFormed(viaTry!);
        }, iter: 3000);
    }

    [Fact]
    public void Mutated_real_config_spaces_always_decode_within_the_specs_ranges()
    {
        Assert.NotEmpty(Real);
        // Mutations aimed where decoders go wrong: the list pointer, next pointers, extended headers, lengths.
        var mutation = Gen.Select(Gen.Int[0, 4095], Gen.Byte, Gen.Int[0, 3]);
        Gen.Select(Gen.Int[0, Real.Length - 1], mutation.Array[1, 24], Gen.Int[0, 2]).Sample((which, edits, cut) =>
        {
            var bytes = (byte[])Real[which].Clone();
            foreach (var (at, value, kind) in edits)
            {
                var pos = kind switch
                {
                    0 => 0x34,                                 // first capability pointer
                    1 => 0x40 + (at % 0xc0 & ~3) + 1,          // a next pointer in the standard list
                    2 => 0x100 + (at % 0xf00 & ~3) + 2 + (at & 1), // an extended header's version/next bits
                    _ => at,
                };
                if (pos < bytes.Length) bytes[pos] = value;
            }
            var length = cut switch { 0 => bytes.Length, 1 => Math.Min(bytes.Length, 256), _ => 64 };
            AssertWellFormed(ConfigSpace.Parse(bytes.AsSpan(0, length)));
        }, iter: 2000);
    }

    [Fact]
    public void Every_config_space_round_trips_through_the_lspci_text()
    {
        Gen.Select(Gen.Byte.Array[64, 4096], Gen.Int[0, 0xff], Gen.Int[0, 0x1f], Gen.Int[0, 7]).Sample((bytes, bus, dev, fn) =>
        {
            var entry = new LspciDumpEntry(new PciAddress(0, bus, dev, fn), "Some device", ConfigSpace.Parse(bytes));
            var back = LspciDump.Parse(new LspciDump([entry]).ToText()).Entries.Single();
            Assert.Equal(entry.Address, back.Address);
            Assert.Equal("Some device", back.Description);
            Assert.True(bytes.AsSpan().SequenceEqual(back.Config.Bytes));
        }, iter: 300);
    }

    [Fact]
    public void Mangled_dump_text_parses_or_fails_with_InputException()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "VfioKit.Tests", "Pci", "Dumps", "qemu-q35.txt"))[..6000];
        var edit = Gen.Select(Gen.Int[0, text.Length - 1], Gen.Char["0123456789abcdefxyz :.\n\t-"], Gen.Bool);
        edit.Array[1, 8].Sample(edits =>
        {
            var chars = text.ToList();
            foreach (var (at, c, insert) in edits)
            {
                var pos = Math.Min(at, chars.Count - 1);
                if (insert) chars.Insert(pos, c); else chars[pos] = c;
            }
            try
            {
                foreach (var e in LspciDump.Parse(new string([.. chars]), "mangled.txt").Entries) AssertWellFormed(e.Config);
            }
            catch (InputException e)
            {
                Assert.Equal("mangled.txt", e.Origin);
                Assert.NotNull(e.Line);
            }
        }, iter: 500);
    }

    /// <summary>Touches every member and checks the ranges the spec (and the decoder's docs) promise.</summary>
    private static void AssertWellFormed(ConfigSpace c)
    {
        _ = (c.VendorId, c.DeviceId, c.Revision, c.Class.Name, c.Class.ToString(), c.HeaderType, c.IsMultifunction, c.Buses,
            c.SubsystemVendorId, c.SubsystemId, c.InterruptPin, c.HasMsi, c.HasMsiX, c.HasPowerManagement, c.HasVendorSpecific);
        Assert.InRange(c.Capabilities.Length, 0, 48);
        Assert.Equal(c.Capabilities.Length, c.Capabilities.Select(x => x.Offset).Distinct().Count());
        Assert.All(c.Capabilities, x =>
        {
            Assert.InRange(x.Offset, 0x40, Math.Min(0xfc, c.Length - 4));
            Assert.Equal(0, x.Offset % 4);
            Assert.False(string.IsNullOrEmpty(x.Name));
        });
        Assert.Equal(c.ExtendedCapabilities.Length, c.ExtendedCapabilities.Select(x => x.Offset).Distinct().Count());
        Assert.All(c.ExtendedCapabilities, x =>
        {
            Assert.InRange(x.Offset, 0x100, c.Length - 4);
            Assert.Equal(0, x.Offset % 4);
            Assert.InRange(x.Version, 0, 15);
            Assert.False(string.IsNullOrEmpty(x.ToString()));
        });
        if (c.Express is { } e)
        {
            Assert.Equal(c.Find(CapabilityId.Express)!.Offset, e.Offset);
            Assert.InRange(e.Version, 0, 15);
            Assert.InRange(e.LinkCapability?.Width ?? 0, 0, 63);
            Assert.InRange(e.LinkStatus?.Width ?? 0, 0, 63);
            Assert.All(e.SupportedSpeeds, s => Assert.True(s.IsKnown));
            _ = (e.Describe(), e.MaxSpeed, e.DeviceType.LspciName, e.LinkCapability?.ToString(), e.TargetSpeed);
        }
        else Assert.Null(c.Find(CapabilityId.Express));
    }
}
