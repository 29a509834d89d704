using VfioKit.Pci;

namespace VfioKit.Tests.Pci;

/// <summary>Every capability ID, known or not, named as lspci names it.</summary>
public class CapabilityNameTests
{
    [Fact]
    public void Every_standard_capability_id_is_named_as_lspci_names_it()
    {
        // IDs 0x00..0x14 and two unknown ones, 8 bytes apart from 0x40.
        var ids = Enumerable.Range(0, 0x15).Append(0x15).Append(0x7f).ToArray();
        var caps = ids.Select((id, i) => (0x40 + (i * 8), (byte)id)).ToArray();
        var config = new ConfigBuilder(256, classCode: 0x028000).Capabilities(caps).Build();
        Assert.Equal(ids.Length, config.Capabilities.Length);
        Assert.Equal("Capability ID 0x15", config.Capabilities[^2].Name);
        Assert.False(config.Capabilities[^1].IsKnown);
        Assert.Equal((CapabilityId)0x7f, config.Capabilities[^1].Id);
        LspciOracle.AssertAgrees(config);
    }

    [Fact]
    public void Every_extended_capability_id_is_named_as_lspci_names_it()
    {
        var ids = Enumerable.Range(0, 0x3b).Append(0x55).ToArray();
        var ext = ids.Select((id, i) => (0x100 + (i * 0x40), id, 1)).ToArray();
        var config = new ConfigBuilder().Capabilities([(0x40, 0x10)]).Express(0x40, 2, PcieDeviceType.Endpoint).Extended(ext).Build();
        Assert.Equal(ids.Length, config.ExtendedCapabilities.Length);
        Assert.Equal("Extended Capability ID 0x55", config.ExtendedCapabilities[^1].Name);
        Assert.Equal((ExtendedCapabilityId)0x55, config.ExtendedCapabilities[^1].Id);
        LspciOracle.AssertAgrees(config);
    }

    [Theory]
    [InlineData(ExtendedCapabilityId.AccessControlServices, "Access Control Services")]
    [InlineData(ExtendedCapabilityId.AlternativeRoutingId, "Alternative Routing-ID Interpretation (ARI)")]
    [InlineData(ExtendedCapabilityId.SingleRootIoVirtualization, "Single Root I/O Virtualization (SR-IOV)")]
    [InlineData(ExtendedCapabilityId.ResizableBar, "Physical Resizable BAR")]
    [InlineData(ExtendedCapabilityId.SecondaryPciExpress, "Secondary PCI Express")]
    [InlineData(ExtendedCapabilityId.PhysicalLayer16GTs, "Physical Layer 16.0 GT/s")]
    [InlineData(ExtendedCapabilityId.PhysicalLayer32GTs, "Physical Layer 32.0 GT/s")]
    [InlineData(ExtendedCapabilityId.DataLinkFeature, "Data Link Feature")]
    [InlineData(ExtendedCapabilityId.L1PmSubstates, "L1 PM Substates")]
    public void The_capabilities_vfio_users_look_for_have_lspcis_names(ExtendedCapabilityId id, string name)
    {
        Assert.Equal(name, ExtendedCapability.NameOf(id));
        Assert.True(new ExtendedCapability(0x100, id, 1).IsKnown);
    }

    [Fact]
    public void Ids_lspci_does_not_name_are_unknown_even_with_an_enum_name()
    {
        var alt = new ExtendedCapability(0x100, ExtendedCapabilityId.AlternateProtocol, 1);
        Assert.False(alt.IsKnown);
        Assert.Equal("Extended Capability ID 0x2b", alt.Name);
        Assert.Equal("[100 v1] Extended Capability ID 0x2b", alt.ToString());
    }
}
