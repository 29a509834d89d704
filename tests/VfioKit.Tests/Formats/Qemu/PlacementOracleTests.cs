using System.Globalization;
using VfioKit.Diagnostics;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Tests.Formats.Qemu;

/// <summary>
/// QEMU itself as the oracle for placement and for the errors it raises: the same command line given to
/// vfiokit's reader and to a stopped qemu-system-x86_64 must put every PCI device (the machine's own
/// included) on the same bus at the same slot.function, and vfiokit must report an error exactly when
/// QEMU refuses to start, with QEMU's message.
/// </summary>
public class PlacementOracleTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "q35 defaults and auto slots", "-M q35 -device e1000e -device pcie-root-port,id=rp1,chassis=1 -device e1000,bus=rp1 -device virtio-net-pci,addr=0x7" },
        { "i440fx defaults", "-M pc -usb -device e1000e,id=a -device virtio-rng-pci" },
        { "i440fx acpi off", "-M pc,acpi=off -vga none -device e1000,id=x" },
        { "-vga none frees slot 1", "-M q35 -vga none -device pcie-root-port,id=rp,chassis=3 -device e1000e,id=n,bus=rp" },
        { "-nodefaults", "-M q35 -nodefaults -device pcie-root-port,id=rp,chassis=3,addr=0x1c.0x2" },
        { "-netdev drops the default NIC", "-M q35 -netdev user,id=n0 -device virtio-net-pci,netdev=n0" },
        { "a display -device drops the default VGA", "-M q35 -device virtio-vga,id=v -device e1000,id=e" },
        { "-vga virtio", "-M q35 -nodefaults -vga virtio -device e1000,id=e" },
        { "-nic with a model", "-M q35 -nic user,model=virtio -device e1000,id=e" },
        { "no bus after a pxb-pcie means the pxb's bus", "-M q35 -nodefaults -device pxb-pcie,id=pxb1,bus_nr=0x40,bus=pcie.0 -device pcie-root-port,id=rp1,chassis=1 -device pcie-root-port,id=rp2,chassis=2,bus=pcie.0" },
        { "switch", "-M q35 -nodefaults -device pcie-root-port,id=rp1,chassis=1 -device x3130-upstream,id=up,bus=rp1 -device xio3130-downstream,id=d1,bus=up,chassis=2 -device xio3130-downstream,id=d2,bus=up,chassis=3 -device e1000e,id=x,bus=d2" },
        { "bridges", "-M q35 -device pcie-pci-bridge,id=b1 -device e1000,bus=b1 -device e1000,bus=b1 -device pci-bridge,id=b2,chassis_nr=4 -device i82801b11-bridge,id=b3 -device e1000,id=z,bus=b3" },
        { "multifunction", "-M q35 -device e1000e,id=f0,addr=0x5,multifunction=on -device e1000,id=f1,addr=0x5.1 -device e1000e,id=f2" },
        { "libvirt JSON -device", "-M q35 -nodefaults -device {\"driver\":\"pcie-root-port\",\"port\":16,\"chassis\":1,\"id\":\"pci.1\",\"bus\":\"pcie.0\",\"multifunction\":true,\"addr\":\"0x2\"} -device {\"driver\":\"e1000e\",\"id\":\"n\",\"bus\":\"pci.1\",\"addr\":\"0x0\"}" },
        { "key=value devices are created before JSON ones", "-M q35 -device {\"driver\":\"pcie-root-port\",\"id\":\"rp0\",\"chassis\":2,\"bus\":\"pcie.0\"} -device e1000,bus=rp0" },
        { "JSON devices are placed after key=value ones", "-M q35 -nodefaults -device {\"driver\":\"e1000\",\"id\":\"j\"} -device e1000,id=k" },
        { "usb on q35", "-M q35,usb=on -device e1000,id=e" },
        { "duplicate chassis/slot", "-M q35 -device pcie-root-port,id=a -device ioh3420,id=b" },
        { "address in use", "-M q35 -device e1000e,id=x,addr=0x1" },
        { "function without multifunction", "-M q35 -device e1000e,id=a,addr=0x5 -device e1000e,id=b,addr=0x5.1" },
        { "multifunction added late", "-M q35 -device e1000e,id=a,addr=0x5.1 -device e1000e,id=b,addr=0x5" },
        { "bus used before it exists", "-M q35 -device e1000e,bus=rp -device pcie-root-port,id=rp,chassis=1" },
        { "endpoint on a pxb-pcie", "-M q35 -device pxb-pcie,id=pxb1,bus_nr=0x40,bus=pcie.0 -device e1000e,id=x" },
        { "duplicate id", "-M q35 -device e1000,id=a -device e1000,id=a" },
        { "-audio model=hda comes after the default VGA and NIC", "-M q35 -audio none,model=hda -device e1000,id=e" },
        { "-audio model=ac97 takes the slot a -device asks for", "-M q35 -audio none,model=ac97 -device e1000e,id=x,addr=0x3" },
        { "-audio model=es1370 on i440fx", "-M pc -nodefaults -audio none,model=es1370 -device e1000,id=e" },
        { "-soundhw was removed in 7.1", "-M q35 -soundhw hda -device e1000,id=e" },
        { "short virtio aliases are the -pci devices", "-M q35 -nodefaults -device virtio-net,id=n -device virtio-serial,id=s -device virtio-balloon,id=b -device virtio-scsi,id=c -blockdev null-co,node-name=d0 -device virtio-blk,id=k,drive=d0 -device e1000,id=e" },
        { "a port named pcie.0 leaves devices on the root bus", "-M q35 -device pcie-root-port,id=pcie.0,chassis=1 -device e1000,id=e -device e1000,id=f,bus=pcie.0" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Placement_and_errors_match_qemu(string name, string commandLine)
    {
        var args = commandLine.Split(' ');
        var qemu = QemuTree.Run(args);
        // Some refusals (a duplicate id) vfiokit makes while reading, as QEMU does while parsing: an input error.
        VmTopology? topology = null;
        List<string> errors;
        try
        {
            topology = QemuCommandLine.FromArgv(args);
            var view = GuestViewPredictor.Predict(topology, new MachineVersion(7, 2));
            errors = view.Problems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => p.Message).ToList();
        }
        catch (InputException e) { errors = [e.Message]; }

        if (qemu.Error is { } error)
        {
            var message = error[(error.IndexOf(": ", error.IndexOf(": ", StringComparison.Ordinal) + 2, StringComparison.Ordinal) + 2)..].Trim();
            Assert.True(errors.Any(p => p.StartsWith(message, StringComparison.Ordinal)),
                $"{name}: QEMU refused with '{message}'; vfiokit said: {string.Join(" | ", errors)}");
            return;
        }
        Assert.True(errors.Count == 0, $"{name}: QEMU started, vfiokit predicted errors: {string.Join(" | ", errors)}");
        Assert.NotEmpty(qemu.Devices);
        Assert.Equal(qemu.Devices, Describe(topology!));
    }

    internal static List<string> Describe(VmTopology t)
    {
        var list = t.Devices
            .Where(d => d.Placement is not null)
            .Select(d => string.Create(CultureInfo.InvariantCulture,
                $"{d.Driver} {d.Id ?? "-"} {d.Placement!.Bus} {d.Placement.Address.Slot:x}.{d.Placement.Address.Function}"))
            .ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}
