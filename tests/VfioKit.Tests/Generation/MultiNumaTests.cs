using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Qemu;
using VfioKit.Generation;
using VfioKit.Host;
using VfioKit.Pci;
using VfioKit.Tests.Lab;
using Xunit;
using Xunit.Abstractions;
using VfioKit.Files;

namespace VfioKit.Tests.Generation;

/// <summary>
/// Two GPUs on two host NUMA nodes. The lab has one GPU per snapshot, so the numa2-pxb snapshot (a real guest's sysfs,
/// GPU on node 1) gets a second GPU on node 0: a copy of the real one's functions at another slot. Oracles: virt-xml-validate,
/// the real libvirtd (define), shellcheck, and the project's QEMU reader.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public sealed class MultiNumaTests(LibvirtdFixture libvirtd, ITestOutputHelper output)
{
    private static HostModel TwoNodeHost()
    {
        var host = HostModel.Read(new SysfsRoot(Path.Combine(TestPaths.Data, "hosts", "numa2-pxb")));
        var gpu = host.Gpus.Single();
        var slot = new PciSlot(0, 0x42, 0);
        var copies = gpu.Functions.Select(f => f with { Function = f.Function with { Address = slot.Function(f.Function.Address.Function), NumaNode = 0, BootVga = false, IommuGroup = 99 } }).ToList();
        var second = gpu with
        {
            Slot = slot, Functions = copies, NumaNode = 0, BootVga = false,
            Viability = new GroupViability(Viability.Viable, [99], [], "viable: group 99 holds only this slot's functions"),
        };
        return host with
        {
            PciFunctions = [.. host.PciFunctions, .. copies.Select(c => c.Function)],
            Slots = [.. host.Slots, new PhysicalSlot(slot, [.. copies.Select(c => c.Function)])],
            Gpus = [.. host.Gpus, second],
        };
    }

    [SkippableTheory]
    [MemberData(nameof(VirtTypes.Both), MemberType = typeof(VirtTypes))]
    public void Gpus_on_two_nodes_get_one_expander_and_one_guest_node_each(string virtType)
    {
        var libvirtdPath = libvirtd.Under(virtType, output);
        var host = TwoNodeHost();
        var request = new VmRequest(["0000:81:00", "0000:42:00"], 2L << 30, 2, "two nodes", HugePages: VfioKit.Planning.HugePageChoice.None, Force: true);
        var vm = VmBlueprintBuilder.Build(host, request, "pc-q35-7.2", OvmfFirmware.Find());

        Assert.Equal(2, vm.Cells.Count);
        Assert.Equal([0, 1], vm.Cells.Select(c => c.HostNode).Order());
        foreach (var cell in vm.Cells)
        {
            // vCPUs and memory of each guest node on the host node it mirrors.
            Assert.All(cell.Plan.Vcpus, p => Assert.Equal(cell.HostNode, host.Cpu.Cpu(p.HostCpu)!.Node));
            Assert.Equal([cell.HostNode], cell.Plan.Memory.Nodes);
        }

        using var temp = new TempDirectory("vfiokit-numa-");
        var xml = temp.File("d.xml");
        File.WriteAllText(xml, VmGenerator.Write(vm, VmFormat.Libvirt));
        var validate = LibvirtdFixture.Validate(xml);
        Assert.True(validate.Exit == 0, validate.Err + File.ReadAllText(xml));
        var define = libvirtdPath.Define(xml, "two nodes");
        Assert.True(define.Exit == 0, define.Err + File.ReadAllText(xml));

        var script = temp.File("vm.sh");
        File.WriteAllText(script, VmGenerator.Write(vm, VmFormat.Qemu));
        Assert.Equal(0, LibvirtdFixture.Run("shellcheck", script).Exit);

        foreach (var topology in new[] { LibvirtTopology.Load(xml), QemuCommandLine.Load(script) })
        {
            foreach (var p in vm.Passed)
            {
                var guestNode = vm.Cells.Single(c => c.HostNode == p.HostNode).GuestNode;
                var fn0 = topology.Configured.Single(d => d.HostAddress == p.Functions[0]);
                var port = topology.FindDevice(fn0.Placement!.Bus)!;
                var expander = topology.FindDevice(port.Placement!.Bus)!;
                Assert.Equal("pxb-pcie", expander.Driver);
                Assert.Equal(guestNode, expander.Expander!.NumaNode);
            }
        }
    }
}
