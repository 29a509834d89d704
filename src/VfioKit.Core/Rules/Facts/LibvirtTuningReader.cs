using VfioKit.Formats.Libvirt;
using VfioKit.Formats.Libvirt.Xml;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Rules;

/// <summary>Tuning facts of a libvirt domain: &lt;cpu&gt;, &lt;features&gt;, &lt;cputune&gt;, &lt;memoryBacking&gt;, &lt;shmem&gt;, firmware.</summary>
public static class LibvirtTuningReader
{
    public static VmTuning Read(DomainXml domain)
    {
        var features = domain.Features;
        var hyperV = new HashSet<string>(StringComparer.Ordinal);
        var vendorId = false;
        foreach (var (name, state, _) in features?.HypervFeatures ?? [])
        {
            if (state == "off") continue;
            if (name == "vendor_id") { vendorId = state == "on"; continue; }
            hyperV.Add(name);
        }
        var hypervPassthrough = features?.HypervMode == "passthrough";
        if (hypervPassthrough) hyperV.UnionWith(HyperVEnlightenments.Key);
        var clock = domain.Root.Element("clock");
        if (clock?.Elements("timer").Any(t => t.Attribute("name")?.Value == "hypervclock" && t.Attribute("present")?.Value != "no") == true)
            hyperV.Add("time");

        var osinfo = domain.Root.Element("metadata")?.Descendants().Select(e => e.Attribute("id")?.Value)
            .FirstOrDefault(id => id is not null && id.Contains("microsoft.com/win", StringComparison.Ordinal));
        string? windows = features?.Hyperv is not null ? "<hyperv> features" : osinfo is not null ? $"libosinfo {osinfo}" : null;

        var cpu = domain.Cpu;
        var model = cpu?.Mode switch
        {
            "host-passthrough" => "host-passthrough",
            "host-model" => "host-model",
            "maximum" => "max",
            _ => cpu?.Model,
        };
        var cpuFeatures = cpu?.Features.Where(f => f.Policy is "require" or "force").Select(f => f.Name).ToHashSet() ?? [];

        // libvirt passes <feature policy='disable' name='hypervisor'/> to QEMU as -cpu ...,hypervisor=off.
        var hypervisorOff = cpu?.Element.Elements("feature")
            .LastOrDefault(f => f.Attribute("name")?.Value == "hypervisor" && f.Attribute("policy")?.Value is "disable" or "forbid");

        var pins = new Dictionary<int, IReadOnlySet<int>>();
        foreach (var (vcpu, cpuset) in domain.Cputune?.VcpuPins ?? [])
            if (vcpu is { } v && VmTuning.Cpus(cpuset) is { } set) pins[v] = set;
        var emulator = VmTuning.Cpus(domain.Cputune?.EmulatorPin);
        var vcpuElement = domain.Root.Element("vcpu");
        if (pins.Count == 0 && VmTuning.Cpus(vcpuElement?.Attribute("cpuset")?.Value) is { } all)
            for (var i = 0; i < (domain.Vcpus ?? 1); i++) pins[i] = all;

        var backing = domain.MemoryBacking;
        var ioapic = features?.IoapicDriver;
        var iommu = domain.DevicesElement?.Element("iommu");
        var tuning = new VmTuning
        {
            Uefi = domain.Os?.IsUefi == true,
            WindowsEvidence = windows,
            HyperV = hyperV,
            KvmHidden = features?.KvmHidden == "on",
            VendorIdSpoofed = vendorId,
            CpuModel = model,
            CpuFeatures = cpuFeatures,
            ThreadsPerCore = cpu?.Threads ?? 1,
            Vcpus = domain.Vcpus ?? 1,
            CpuLine = cpu?.Line ?? Line(vcpuElement),
            HyperVLine = Line(features?.Hyperv) is > 0 and var l ? l : features?.Line ?? 0,
            HugePages = backing?.Hugepages == true,
            Preallocated = backing?.AllocationMode == "immediate",
            Locked = backing?.Locked == true,
            MemoryLine = backing?.Line ?? Line(domain.Root.Element("memory")),
            VcpuPins = pins,
            EmulatorPins = emulator,
            PinningLine = domain.Cputune?.Line ?? Line(vcpuElement),
            EmulatorPinLine = Line(domain.Cputune?.Element.Element("emulatorpin")),
            SharedMemories = domain.Shmems.Where(s => s.SizeBytes is not null)
                .Select(s => new SharedMemory(s.Name ?? "shmem", s.SizeBytes!.Value, s.Line ?? 0)).ToList(),
            KernelIrqchip = ioapic switch { "qemu" => "split", "kvm" => "on", _ => null },
            IrqchipLine = features?.Line ?? 0,
            InterruptRemapping = iommu?.Attribute("model")?.Value == "intel" && iommu.Element("driver")?.Attribute("intremap")?.Value == "on",
            HypervisorBitOff = hypervisorOff is not null,
            HypervisorLine = Line(hypervisorOff) is > 0 and var h ? h : cpu?.Line ?? 0,
        };
        return domain.QemuCommandline is { } extra
            ? AppendedTuning.Apply(tuning, extra.Options(domain.Origin), "<qemu:commandline>", "libvirt's -cpu")
            : tuning;
    }

    private static int Line(System.Xml.Linq.XObject? node) => node is null ? 0 : SourceXml.LineOf(node) ?? 0;
}
