using System.Text;
using CsCheck;
using VfioKit.Fixing;
using VfioKit.Formats;
using VfioKit.Rules;
using VfioKit.Linting;

namespace VfioKit.Tests.Fixing;

/// <summary>
/// Property tests over random passthrough topologies (machine types old and new, ioh3420 and generic ports,
/// default chassis, GPUs on pcie.0, behind ports, split across ports or behind a PCIe-to-PCI bridge, missing
/// multifunction, CPU models, Hyper-V flags, Looking Glass sizes, split irqchip): fixing reaches a fixed point
/// with no fixable finding left, and a fixed domain XML passes libvirt's own schema check.
/// </summary>
public class FixPropertyTests
{
    private sealed record Gpu(int HostBus, int Functions, string Placement, bool Multifunction);

    private sealed record Vm(string Machine, IReadOnlyList<(bool Ioh, bool Chassis)> Ports, IReadOnlyList<Gpu> Gpus,
        string Cpu, int HyperV, int? LookingGlassMiB, bool SplitIrqchip);

    private static readonly string[] HvFlags = ["hv_relaxed", "hv_vapic", "hv_spinlocks=0x1fff", "hv_time", "hv_vpindex", "hv_synic", "hv_stimer", "hv_reset", "hv_frequencies", "hv_runtime"];

    private static readonly Gen<Vm> Vms =
        from machine in Gen.OneOf("q35", "pc-q35-3.1", "pc-q35-7.2", "pc")
        from ports in Gen.Select(Gen.Bool, Gen.Bool, (a, b) => (a, b)).Array[0, 3]
        from gpus in Gen.Select(Gen.Int[1, 2], Gen.OneOf("root", "port", "split", "bridge"), Gen.Bool, (a, b, c) => (a, b, c)).Array[1, 2]
        from cpu in Gen.OneOf("host", "qemu64", "host-model")
        from hv in Gen.Int[0, 10]
        from lg in Gen.OneOf<int?>(null, 32, 48, 64)
        from split in Gen.Bool
        select new Vm(machine, ports.Select(p => (p.Item1, p.Item2)).ToList(),
            gpus.Select((g, i) => new Gpu(0x0b + i, g.Item1, g.Item2, g.Item3)).ToList(), cpu, hv, lg, split);

    private static string Script(Vm vm)
    {
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n# generated\nqemu-system-x86_64 -machine ").Append(vm.Machine).Append(vm.SplitIrqchip ? ",kernel-irqchip=split" : "").Append(" \\\n");
        var cpu = vm.Cpu == "host-model" ? "host" : vm.Cpu;
        sb.Append("  -cpu ").Append(cpu).Append(string.Concat(HvFlags.Take(vm.HyperV).Select(f => "," + f))).Append(" \\\n");
        for (var i = 0; i < vm.Ports.Count; i++)
            sb.Append($"  -device {(vm.Ports[i].Ioh ? "ioh3420" : "pcie-root-port")},id=rp{i}{(vm.Ports[i].Chassis ? $",chassis={i + 1},slot={i + 1}" : "")},bus=pcie.0 \\\n");
        var bridge = false;
        for (var g = 0; g < vm.Gpus.Count; g++)
        {
            var gpu = vm.Gpus[g];
            var placement = vm.Ports.Count == 0 && gpu.Placement is "port" or "split" ? "root" : gpu.Placement;
            if (vm.Ports.Count < 2 && placement == "split") placement = "port";
            if (g == 1 && placement is "port" or "split") placement = "root";
            if (placement == "bridge" && !bridge)
            {
                sb.Append("  -device pcie-pci-bridge,id=br0,bus=pcie.0,addr=0x10 \\\n");
                bridge = true;
            }
            for (var f = 0; f < gpu.Functions; f++)
            {
                var mf = f == 0 && gpu.Functions > 1 && gpu.Multifunction ? ",multifunction=on" : "";
                var (bus, addr) = placement switch
                {
                    "root" => ("pcie.0", $"0x{0x18 + g:x}.{f}"),
                    "port" => ("rp0", $"0x0.{f}"),
                    "split" => ($"rp{f}", "0x0"),
                    _ => ("br0", $"0x{1 + g}.{f}"),
                };
                sb.Append($"  -device vfio-pci,host=0000:{gpu.HostBus:x2}:00.{f},bus={bus},addr={addr}{mf} \\\n");
            }
        }
        if (vm.LookingGlassMiB is { } lg)
            sb.Append($"  -object memory-backend-file,id=lg,mem-path=/dev/shm/looking-glass,size={lg}M,share=on \\\n  -device ivshmem-plain,memdev=lg,bus=pcie.0,addr=0x1a \\\n");
        sb.Append("  -m 8G\n");
        return sb.ToString();
    }

    [Fact]
    public void Fixing_random_qemu_scripts_reaches_a_fixed_point_with_no_fixable_finding()
    {
        var applied = new System.Collections.Concurrent.ConcurrentBag<string>();
        Vms.Sample(vm =>
        {
            var doc = new ConfigDocument("vm.sh", Script(vm), ConfigFormat.Qemu);
            var once = Fixer.Fix(doc, new FixOptions(Unsafe: true));
            foreach (var f in once.Applied) applied.Add(f.RuleId);
            var after = Linter.Lint(doc with { Text = once.FixedText });
            Assert.Empty(after.Fixable(includeUnsafe: true));
            Assert.Equal(once.FixedText, Fixer.Fix(doc with { Text = once.FixedText }, new FixOptions(Unsafe: true)).FixedText);
            // Every passed-through function ends up a PCIe Endpoint behind a port in the predicted guest view.
            Assert.All(after.Findings, f => Assert.NotEqual(RuleIds.PcieDeviceOnRootBus, f.RuleId));
        }, iter: 150, seed: "0N0XIzNsQ0O2");
        // The generator must exercise the fixes, or the property says nothing.
        foreach (var id in new[] { RuleIds.PassthroughOnI440fx, RuleIds.PcieDeviceOnRootBus, RuleIds.FunctionsSplitAcrossSlots, RuleIds.MultifunctionMissing,
                     RuleIds.VfioOnConventionalBus, RuleIds.PortLinkBelowHost, RuleIds.DuplicateChassisSlot, RuleIds.HyperVEnlightenmentsMissing, RuleIds.LookingGlassSize })
            Assert.Contains(id, applied);
    }

    private static string Domain(Vm vm)
    {
        var sb = new StringBuilder();
        var q35 = vm.Machine != "pc";
        sb.Append("<domain type='kvm'>\n  <name>vm</name>\n  <memory unit='KiB'>8388608</memory>\n  <vcpu placement='static'>4</vcpu>\n");
        sb.Append($"  <os>\n    <type arch='x86_64' machine='{vm.Machine}'>hvm</type>\n  </os>\n  <features>\n    <acpi/>\n    <apic/>\n");
        if (vm.HyperV > 0) sb.Append("    <hyperv mode='custom'>\n      <relaxed state='on'/>\n    </hyperv>\n");
        if (vm.SplitIrqchip && q35) sb.Append("    <ioapic driver='qemu'/>\n");
        sb.Append("  </features>\n");
        sb.Append(vm.Cpu switch
        {
            "host" => "  <cpu mode='host-passthrough' check='none'/>\n",
            "host-model" => "  <cpu mode='host-model' check='partial'/>\n",
            _ => "  <cpu mode='custom' match='exact' check='none'>\n    <model fallback='forbid'>qemu64</model>\n  </cpu>\n",
        });
        sb.Append("  <clock offset='localtime'/>\n  <devices>\n");
        sb.Append($"    <controller type='pci' index='0' model='{(q35 ? "pcie-root" : "pci-root")}'/>\n");
        var index = 1;
        var ports = new List<int>();
        if (q35)
            foreach (var (ioh, chassis) in vm.Ports)
            {
                sb.Append($"    <controller type='pci' index='{index}' model='pcie-root-port'>\n");
                if (ioh) sb.Append("      <model name='ioh3420'/>\n");
                if (chassis) sb.Append($"      <target chassis='{index}' port='0x{0x10 + index:x}'/>\n");
                sb.Append($"      <address type='pci' domain='0x0000' bus='0x00' slot='0x{0x02 + index:x2}' function='0x0'/>\n    </controller>\n");
                ports.Add(index++);
            }
        for (var g = 0; g < vm.Gpus.Count; g++)
        {
            var gpu = vm.Gpus[g];
            var placement = !q35 ? "root" : ports.Count == 0 && gpu.Placement is "port" or "split" or "bridge" ? "root" : gpu.Placement == "bridge" ? "port" : gpu.Placement;
            if (ports.Count < 2 && placement == "split") placement = "port";
            if (g == 1 && placement is "port" or "split") placement = "root";
            for (var f = 0; f < gpu.Functions; f++)
            {
                var mf = f == 0 && gpu.Functions > 1 ? (gpu.Multifunction ? " multifunction='on'" : " multifunction='off'") : "";
                var (bus, slot, fn) = placement switch
                {
                    "root" => (0, 0x18 + g, f),
                    "port" => (ports[0], 0, f),
                    _ => (ports[f], 0, 0),
                };
                sb.Append($"    <hostdev mode='subsystem' type='pci' managed='yes'>\n      <driver name='vfio'/>\n      <source>\n        <address domain='0x0000' bus='0x{gpu.HostBus:x2}' slot='0x00' function='0x{f}'/>\n      </source>\n");
                sb.Append($"      <address type='pci' domain='0x0000' bus='0x{bus:x2}' slot='0x{slot:x2}' function='0x{fn}'{mf}/>\n    </hostdev>\n");
            }
        }
        if (vm.LookingGlassMiB is { } lg)
            sb.Append($"    <shmem name='looking-glass'>\n      <model type='ivshmem-plain'/>\n      <size unit='M'>{lg}</size>\n    </shmem>\n");
        sb.Append("  </devices>\n</domain>\n");
        return sb.ToString();
    }

    [Fact]
    public void Fixing_random_domains_gives_valid_libvirt_xml_at_a_fixed_point()
    {
        using var temp = new TempDirectory("vfiokit-prop-");
        var dir = temp.Path;
        var n = 0;
        Vms.Sample(vm =>
        {
            var text = Domain(vm);
            var doc = new ConfigDocument("vm.xml", text, ConfigFormat.Libvirt);
            var once = Fixer.Fix(doc, new FixOptions());
            Assert.Empty(Linter.Lint(doc with { Text = once.FixedText }).Fixable(includeUnsafe: false));
            Assert.Equal(once.FixedText, Fixer.Fix(doc with { Text = once.FixedText }, new FixOptions()).FixedText);
            var path = Path.Combine(dir, $"vm{n++}.xml");
            File.WriteAllText(path, once.FixedText);
            var (code, output) = ToolRun.Of("virt-xml-validate", path, "domain");
            Assert.True(code == 0, $"virt-xml-validate refused the fixed domain:\n{output}\n--- before\n{text}\n--- after\n{once.FixedText}");
        }, iter: 40, seed: "0N0XIzNsQ0O2");
    }
}
