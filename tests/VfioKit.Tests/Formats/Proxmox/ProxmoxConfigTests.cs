using VfioKit.Fixing;
using VfioKit.Formats.Proxmox;
using VfioKit.Formats;
using VfioKit.GuestView;
using VfioKit.Rules;
using VfioKit.Vm;
using VfioKit.Edits;
using VfioKit.Linting;

namespace VfioKit.Tests.Formats.Proxmox;

/// <summary>The qemu-server config reader, its mapping onto the VM model as qemu-server builds the command line, and line-preserving edits.</summary>
public class ProxmoxConfigTests
{
    private const string Config = """
        #Windows 11 gaming VM
        #%3A with a description
        agent: 1
        balloon: 0
        bios: ovmf
        boot: order=scsi0
        cores: 8
        cpu: host,hidden=1,flags=+pcid
        efidisk0: local-lvm:vm-100-disk-1,efitype=4m,size=4M
        hostpci0: 0000:0b:00,pcie=1,x-vga=1
        hostpci1: 0c:00.0;0c:00.1,rombar=0,romfile=gpu.rom
        hostpci5: 0000:0d:00.0,pcie=1
        hugepages: 1024
        machine: pc-q35-8.1+pve0
        memory: 16384
        name: win11
        ostype: win11
        scsi0: local-lvm:vm-100-disk-0,size=128G

        [before-update]
        bios: seabios
        hostpci0: 0000:0b:00
        snaptime: 1700000000
        """;

    private static ProxmoxConfig Read() => ProxmoxConfigReader.Parse("100.conf", Config);

    [Fact]
    public void Reads_entries_of_the_current_configuration_and_keeps_snapshots_apart()
    {
        var c = Read();
        Assert.Equal("ovmf", c.Value("bios"));
        Assert.True(c.IsUefi);
        Assert.Equal(3, c.HostPcis.Count);
        Assert.Equal("before-update", c.Lines.Last().Section);
        Assert.DoesNotContain(c.Entries, l => l.Key == "snaptime");
        var machine = c.Machine;
        Assert.True(machine.IsQ35);
        Assert.Equal((8, 1), (machine.Major, machine.Minor));
        Assert.False(machine.IsBefore4);
    }

    [Fact]
    public void Hostpci_entries_read_as_qemu_server_reads_them()
    {
        var h = Read().HostPcis;
        Assert.Equal(VfioKit.Pci.PciSlot.Parse("0000:0b:00"), h[0].WholeSlot);
        Assert.True(h[0].Pcie);
        Assert.True(h[0].XVga);
        Assert.Equal("ich9-pcie-port-1", h[0].RootPortId);
        Assert.Null(h[1].WholeSlot);
        Assert.Equal(2, h[1].Functions.Count);
        Assert.False(h[1].RomBar);
        Assert.Equal("/usr/share/kvm/gpu.rom", h[1].RomPath);
        Assert.Equal(5, h[2].Index);
    }

    [Fact]
    public void Maps_onto_the_vm_model_with_qemu_servers_placement()
    {
        var t = ProxmoxTopologyReader.Read(Read());
        Assert.Equal(MachineFamily.Q35, t.Machine.Family);
        var gpu = t.FindDevice("hostpci0")!;
        Assert.Equal("ich9-pcie-port-1", gpu.Placement!.Bus);
        Assert.Equal(new GuestAddress(0, 0), gpu.Placement.Address);
        Assert.Equal("pcie-root-port", t.FindDevice("ich9-pcie-port-1")!.Driver);
        // Without pcie=1: a pci-bridge behind the DMI bridge, function by function as one multifunction device.
        var f0 = t.FindDevice("hostpci1.0")!;
        var f1 = t.FindDevice("hostpci1.1")!;
        Assert.Equal(("pci.0", new GuestAddress(0x11, 0)), (f0.Placement!.Bus, f0.Placement.Address));
        Assert.Equal(("pci.0", new GuestAddress(0x11, 1)), (f1.Placement!.Bus, f1.Placement.Address));
        Assert.True(f0.Multifunction);
        Assert.Equal("pci-bridge", t.FindDevice("pci.0")!.Driver);
        // hostpci5 gets its own root port at 10.1 (qemu-server's print_pcie_root_port).
        var port6 = t.FindDevice("ich9-pcie-port-6")!;
        Assert.Equal(new GuestAddress(0x10, 1), port6.Placement!.Address);
        Assert.Equal("ich9-pcie-port-6", t.FindDevice("hostpci5")!.Placement!.Bus);
    }

    [Fact]
    public void The_guest_view_of_a_proxmox_vm_follows_pcie_1()
    {
        var view = GuestViewPredictor.Predict(ProxmoxTopologyReader.Read(Read()));
        Assert.Equal(GuestDeviceKind.Endpoint, view.Find("hostpci0")!.Sees);
        Assert.Equal(GuestDeviceKind.ConventionalPci, view.Find("hostpci1.0")!.Sees);
        Assert.Equal("16GT/s x32", view.Find("hostpci0")!.PortLink!.Value.ToString());
    }

    [Fact]
    public void Machine_types_before_4_0_get_ioh3420_ports()
    {
        var t = ProxmoxTopologyReader.Read(ProxmoxConfigReader.Parse("vm.conf", "machine: pc-q35-3.1\nhostpci0: 0b:00,pcie=1\n"));
        Assert.Equal("ioh3420", t.FindDevice("ich9-pcie-port-1")!.Driver);
        var view = GuestViewPredictor.Predict(t);
        Assert.Equal("2.5GT/s x1", view.Find("hostpci0")!.PortLink!.Value.ToString());
    }

    [Fact]
    public void No_machine_line_means_i440fx()
    {
        var t = ProxmoxTopologyReader.Read(ProxmoxConfigReader.Parse("vm.conf", "hostpci0: 0b:00.0\n"));
        Assert.Equal(MachineFamily.I440fx, t.Machine.Family);
        Assert.Equal(("pci.0", new GuestAddress(0x10, 0)), (t.FindDevice("hostpci0")!.Placement!.Bus, t.FindDevice("hostpci0")!.Placement!.Address));
    }

    [Fact]
    public void Edits_change_one_line_and_keep_every_other_byte()
    {
        var c = Read();
        var set = TextEdits.Apply(c.Text, [ProxmoxConfigEditor.Set(c, "cpu", "host")]);
        Assert.Equal(Config.Replace("cpu: host,hidden=1,flags=+pcid", "cpu: host"), set);
        var added = TextEdits.Apply(c.Text, [ProxmoxConfigEditor.Set(c, "affinity", "0-7")]);
        // New entries go at the end of the current configuration, before the blank line and the snapshot.
        Assert.Equal(Config.Replace("size=128G\n\n[before-update]", "size=128G\naffinity: 0-7\n\n[before-update]"), added);
        var removed = TextEdits.Apply(c.Text, [ProxmoxConfigEditor.Remove(c.Entry("balloon")!)]);
        Assert.Equal(Config.Replace("balloon: 0\n", ""), removed);
    }

    [Fact]
    public void Fix_adds_pcie_1_and_drops_x_vga_leaving_snapshots_alone()
    {
        var text = Config.Replace("hostpci0: 0000:0b:00,pcie=1,x-vga=1", "hostpci0: 0000:0b:00,x-vga=1");
        var result = Fixer.Fix(new ConfigDocument("100.conf", text, ConfigFormat.Proxmox), new FixOptions());
        Assert.Contains("hostpci0: 0000:0b:00,pcie=1\n", result.FixedText);
        Assert.EndsWith("[before-update]\nbios: seabios\nhostpci0: 0000:0b:00\nsnaptime: 1700000000", result.FixedText);
        Assert.Contains("hostpci1: 0c:00.0;0c:00.1,rombar=0,romfile=gpu.rom,pcie=1\n", result.FixedText);
    }

    [Theory]
    [InlineData("hostpci0 0000:0b:00\n", 1)]
    [InlineData("bios: ovmf\n[broken\n", 2)]
    [InlineData("bios: ovmf\nkey with space: 1\n", 2)]
    public void Malformed_lines_are_errors_naming_the_line(string text, int line)
    {
        var e = Assert.Throws<VfioKit.Diagnostics.InputException>(() => ProxmoxConfigReader.Parse("vm.conf", text));
        Assert.Equal(line, e.Line);
    }
}
