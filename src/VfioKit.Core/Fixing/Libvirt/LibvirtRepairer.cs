using System.Globalization;
using System.Xml.Linq;
using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Libvirt.Xml;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Edits;
using VfioKit.Behaviour.Libvirt;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Fixing;

/// <summary>
/// Repairs in a libvirt domain XML through the byte-preserving <see cref="XmlEdit"/>: comments, attribute
/// order, quotes and indentation of everything a repair does not name stay byte-identical. Devices are
/// found by the line the topology reader recorded for them. i440fx to q35 (unsafe) drops the guest PCI addresses
/// and controllers so that libvirt places everything again (<see cref="Q35Conversion"/>); no io-reserve (the XML
/// has none to remove).
/// </summary>
public sealed class LibvirtRepairer(DomainXml domain, VmTopology topology) : IRepairer
{
    private static readonly RepairTable<LibvirtRepairer> Table = new RepairTable<LibvirtRepairer>()
        .On<UseQ35Machine>((r, _) => r.Q35())
        .On<LeaveRootBus>((r, i) => r.MoveBehindNewRootPort(i.Functions))
        .On<LeaveConventionalBus>((r, i) => r.MoveBehindNewRootPort(i.Functions))
        .On<GatherFunctions>((r, i) => r.Gather(i.Function0, i.Others))
        .On<SetMultifunction>((r, i) => r.Multifunction(i.Device, i.On))
        .On<AdvertiseLink>((r, i) => r.Advertise(i.Port))
        .On<SetChassis>((r, i) => r.Chassis(i.Port, i.Chassis))
        .On<AddHyperV>((r, i) => r.HyperV(i.Missing))
        .On<UseHostCpu>((r, _) => r.HostCpu())
        .On<AddCpuFeature>((r, i) => r.CpuFeature(i.Feature))
        .On<SetSharedMemorySize>((r, i) => r.SharedMemorySize(i.Memory, i.Bytes))
        .On<UseKernelIrqchip>((r, _) => r.KernelIrqchip());

    /// <summary>The intents this repairer carries out.</summary>
    public static IReadOnlySet<Type> Kinds { get; } = Table.Kinds;

    public Fix? Repair(RepairIntent intent) => Table.Repair(this, intent);

    private Fix? Q35()
    {
        if (Q35Conversion.Edit(domain, out var changes) is not { } edit) return null;
        return Of(string.Join("; ", changes) + " (Windows will re-detect its hardware)", edit) is { } fix ? fix with { Unsafe = true } : null;
    }

    private Fix? MoveBehindNewRootPort(IReadOnlyList<PlannedFunction> functions)
    {
        var elements = functions.Select(f => ElementOf(f.Device)).ToList();
        // A device with no guest address (libvirt places it) gets one; only a device not found in the XML stops the move.
        if (elements.Any(e => e is null) || domain.DevicesElement is not { } devices) return null;
        // A PCI controller index is a bus number: libvirt refuses one above 255.
        if (ChassisRange.Next(domain.PciControllers.Select(c => c.Index ?? 0)) is not { } index) return null;
        var edit = domain.Edit();
        // No address for the port: libvirt gives it a free slot, around every device it places itself.
        var controller = $"<controller type='pci' index='{index}' model='pcie-root-port'/>";
        var lastController = domain.PciControllers.LastOrDefault()?.Element;
        if (lastController is not null) edit.InsertAfter(lastController, controller);
        else edit.AppendChild(devices, controller);
        var multi = functions.Count > 1;
        for (var i = 0; i < functions.Count; i++)
        {
            var bus = LibvirtNumber.Hex(index, 2);
            var function = LibvirtNumber.Hex(functions[i].Function, 1);
            var multifunction = multi && functions[i].Function == 0;
            if (GuestAddress(elements[i]!) is not { } a)
            {
                edit.AppendChild(elements[i]!, $"<address type='pci' domain='0x0000' bus='{bus}' slot='0x00' function='{function}'{(multifunction ? " multifunction='on'" : "")}/>");
                continue;
            }
            edit.SetAttribute(a, "bus", bus).SetAttribute(a, "slot", "0x00").SetAttribute(a, "function", function);
            if (multifunction) edit.SetAttribute(a, "multifunction", "on");
            else edit.RemoveAttribute(a, "multifunction");
        }
        return Of($"add pcie-root-port controller index {index} and move {string.Join(", ", functions.Select(f => f.Device.Name))} behind it", edit);
    }

    private Fix? Gather(VmDevice function0, IReadOnlyList<VmDevice> others)
    {
        // Function 0 placed by libvirt (no guest address, as after i440fx -> q35): the slot cannot be named, so all
        // the functions go behind one new root port, guest functions mirroring the host.
        if (ElementOf(function0) is { } e0 && GuestAddress(e0) is null)
            return MoveBehindNewRootPort([.. new[] { function0 }.Concat(others).Select(d => new PlannedFunction(d, d.HostAddress?.Function ?? 0))]);
        if (ElementOf(function0)?.Element("address") is not { } a0) return null;
        var edit = domain.Edit().SetAttribute(a0, "multifunction", "on");
        foreach (var o in others)
        {
            if (ElementOf(o) is not { } element || o.HostAddress is not { } host) return null;
            if (GuestAddress(element) is not { } a)
            {
                edit.AppendChild(element, $"<address type='pci' domain='{a0.Attribute("domain")?.Value ?? "0x0000"}' bus='{a0.Attribute("bus")?.Value ?? "0x00"}' slot='{a0.Attribute("slot")?.Value ?? "0x00"}' function='{LibvirtNumber.Hex(host.Function, 1)}'/>");
                continue;
            }
            edit.SetAttribute(a, "domain", a0.Attribute("domain")?.Value ?? "0x0000")
                .SetAttribute(a, "bus", a0.Attribute("bus")?.Value ?? "0x00")
                .SetAttribute(a, "slot", a0.Attribute("slot")?.Value ?? "0x00")
                .SetAttribute(a, "function", LibvirtNumber.Hex(host.Function, 1))
                .RemoveAttribute(a, "multifunction");
        }
        return Of($"put {string.Join(", ", others.Select(o => o.Name))} in the slot of {function0.Name}, functions mirroring the host", edit);
    }

    private Fix? Multifunction(VmDevice device, bool on)
    {
        if (ElementOf(device)?.Element("address") is not { } a) return null;
        var edit = domain.Edit();
        if (on) edit.SetAttribute(a, "multifunction", "on");
        else edit.RemoveAttribute(a, "multifunction");
        return Of(on ? $"multifunction='on' on {device.Name}" : $"remove multifunction from {device.Name}", edit);
    }

    private Fix? Advertise(VmDevice port)
    {
        // libvirt has no attribute for x-speed/x-width: a generic pcie-root-port on a machine type >= 4.0
        // advertises 16GT/s x32. Before 4.0 every port is 2.5GT/s x1 whatever its model, so only a newer
        // machine type helps; that changes the machine Windows sees, as VK101's fix does (unsafe).
        if (ElementOf(port) is not { } c) return null;
        var edit = domain.Edit();
        var model = c.Element("model");
        if (model?.Attribute("name")?.Value == "ioh3420") edit.SetAttribute(model, "name", "pcie-root-port");
        var old = topology.Machine.Version is { } v && v < new MachineVersion(4, 0);
        if (old && domain.Os?.TypeElement is { } type) edit.SetAttribute(type, "machine", "q35");
        var title = $"{port.Name}: <model name='pcie-root-port'/> (16GT/s x32 on machine types >= 4.0)";
        if (!old) return Of(title, edit);
        return Of($"machine type q35 (newest; Windows will re-detect its hardware) and {title}", edit) is { } fix ? fix with { Unsafe = true } : null;
    }

    private Fix? Chassis(VmDevice port, int chassis)
    {
        if (ElementOf(port) is not { } c) return null;
        var edit = domain.Edit();
        var value = chassis.ToString(CultureInfo.InvariantCulture);
        if (c.Element("target") is { } target) edit.SetAttribute(target, "chassis", value);
        else edit.AppendChild(c, $"<target chassis='{value}'/>");
        return Of($"{port.Name}: chassis {value}", edit);
    }

    private Fix? HyperV(IReadOnlyList<string> missing)
    {
        if (domain.Features?.Element is not { } features) return null;
        var edit = domain.Edit();
        var hyperv = features.Element("hyperv");
        var elements = new List<string>();
        foreach (var m in missing.Where(m => m != "time"))
        {
            // An element already written with state='off' (KubeVirt and virt-manager write them) is switched on:
            // a second element of the same name is a duplicate libvirt refuses.
            if (hyperv?.Element(m) is { } present)
            {
                edit.SetAttribute(present, "state", "on");
                if (m == "spinlocks" && present.Attribute("retries") is null) edit.SetAttribute(present, "retries", HyperVEnlightenments.SpinlockRetries.ToString(CultureInfo.InvariantCulture));
            }
            else elements.Add(m == "spinlocks" ? $"<spinlocks state='on' retries='{HyperVEnlightenments.SpinlockRetries}'/>" : $"<{m} state='on'/>");
        }
        if (elements.Count > 0)
        {
            if (hyperv is not null)
                edit.AppendChild(hyperv, string.Join("\n", elements));
            else
                edit.AppendChild(features, "<hyperv mode='custom'>\n  " + string.Join("\n  ", elements) + "\n</hyperv>");
        }
        if (missing.Contains("time"))
        {
            const string timer = "<timer name='hypervclock' present='yes'/>";
            var clock = domain.Root.Element("clock");
            if (clock?.Elements("timer").FirstOrDefault(t => (string?)t.Attribute("name") == "hypervclock") is { } existing)
                edit.SetAttribute(existing, "present", "yes");
            else if (clock is not null) edit.AppendChild(clock, timer);
            else edit.InsertAfter(features, $"<clock offset='utc'>\n  {timer}\n</clock>");
        }
        return Of("add Hyper-V enlightenments: " + string.Join(", ", missing), edit);
    }

    private Fix? HostCpu()
    {
        var edit = domain.Edit();
        if (domain.Cpu?.Element is { } cpu)
        {
            edit.SetAttribute(cpu, "mode", "host-passthrough").RemoveAttribute(cpu, "match");
            if (cpu.Element("model") is { } model) edit.Remove(model);
        }
        else if (domain.Root.Element("vcpu") is { } vcpu)
            edit.InsertAfter(vcpu, "<cpu mode='host-passthrough' check='none'/>");
        else return null;
        return Of("<cpu mode='host-passthrough'>", edit);
    }

    private Fix? CpuFeature(string feature) =>
        domain.Cpu?.Element is { } cpu ? Of($"require CPU feature {feature}", domain.Edit().AppendChild(cpu, $"<feature policy='require' name='{feature}'/>")) : null;

    private Fix? SharedMemorySize(SharedMemory memory, long bytes)
    {
        var shmem = domain.Shmems.FirstOrDefault(s => (s.Name ?? "shmem") == memory.Name);
        if (shmem?.Element.Element("size") is not { } size) return null;
        var mib = (bytes >> 20).ToString(CultureInfo.InvariantCulture);
        return Of($"shmem '{memory.Name}' size {mib} MiB", domain.Edit().Replace(size, $"<size unit='M'>{mib}</size>"));
    }

    private Fix? KernelIrqchip() =>
        domain.Features?.Element.Element("ioapic") is { } ioapic ? Of("<ioapic driver='kvm'/>", domain.Edit().SetAttribute(ioapic, "driver", "kvm")) : null;

    /// <summary>A device's guest PCI address element (a &lt;hostdev&gt;'s host address sits inside &lt;source&gt;, not here).</summary>
    private static XElement? GuestAddress(XElement device) => device.Element("address");

    /// <summary>The element a device was read from: the &lt;hostdev&gt;, &lt;controller&gt;, ... starting at its recorded line.</summary>
    private XElement? ElementOf(VmDevice device)
    {
        if (device.Source?.Line is not { } line || domain.DevicesElement is not { } devices) return null;
        var onLine = devices.Elements().Where(e => SourceXml.LineOf(e) == line).ToList();
        if (onLine.Count == 1) return onLine[0];
        return onLine.FirstOrDefault(e => device.HostAddress is { } h && new Hostdev(e).Source == h) ?? onLine.FirstOrDefault();
    }

    /// <summary>One text edit covering what the XML edit changed (everything around it is untouched by construction).</summary>
    private Fix? Of(string title, XmlEdit edit)
    {
        if (edit.IsEmpty) return null;
        var before = domain.Text;
        var after = edit.ToText();
        var head = 0;
        while (head < before.Length && head < after.Length && before[head] == after[head]) head++;
        var tail = 0;
        while (tail < before.Length - head && tail < after.Length - head && before[^(tail + 1)] == after[^(tail + 1)]) tail++;
        return Fix.Of(title, new TextEdit(head, before.Length - tail - head, after[head..(after.Length - tail)]));
    }
}
