using VfioKit.Fixing;
using VfioKit.Formats;

namespace VfioKit.Rules;

/// <summary>VK206: a CPU model other than host-passthrough; topoext missing on AMD with guest SMT.</summary>
public sealed class Vk206CpuModel : IRule
{
    public static RuleDescriptor Rule { get; } = new(
        RuleIds.CpuModelNotHost, Severity.Warning,
        "CPU model not host-passthrough; topoext missing on AMD with SMT",
        "a named model hides the host's instruction set and cache topology; on AMD without topoext SMT siblings look like cores",
        ConfigFormats.All, Repairs: [typeof(UseHostCpu), typeof(AddCpuFeature)]);

    public RuleDescriptor Descriptor => Rule;

    public IReadOnlyList<RuleExample> Examples { get; } = [
        new(ConfigFormat.Proxmox,
            Bad: """
            bios: ovmf
            cores: 8
            cpu: kvm64
            hostpci0: 0000:0b:00,pcie=1
            hugepages: 1024
            machine: q35
            memory: 16384
            ostype: win11
            """,
            Good: """
            bios: ovmf
            cores: 8
            cpu: host
            hostpci0: 0000:0b:00,pcie=1
            hugepages: 1024
            machine: q35
            memory: 16384
            ostype: win11
            """),
        new(ConfigFormat.Qemu,
            Bad: """
            qemu-system-x86_64 -machine q35 -cpu qemu64 -m 8G \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """,
            Good: """
            qemu-system-x86_64 -machine q35 -cpu host -m 8G \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """),
        new(ConfigFormat.Libvirt,
            Bad: """
            <domain type='kvm'>
              <name>vm</name>
              <memory unit='KiB'>8388608</memory>
              <vcpu placement='static'>4</vcpu>
              <os firmware='efi'>
                <type arch='x86_64' machine='q35'>hvm</type>
              </os>
              <features>
                <acpi/>
                <apic/>
              </features>
              <cpu mode='custom' match='exact' check='none'>
                <model fallback='forbid'>qemu64</model>
              </cpu>
              <memoryBacking>
                <hugepages/>
              </memoryBacking>
              <devices>
                <controller type='pci' index='0' model='pcie-root'/>
                <controller type='pci' index='1' model='pcie-root-port'>
                  <target chassis='1' port='0x10'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
                </controller>
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <driver name='vfio'/>
                  <source>
                    <address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
                  </source>
                  <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                </hostdev>
              </devices>
            </domain>
            """,
            Good: ExampleDomain.Q35("""
                <controller type='pci' index='0' model='pcie-root'/>
                <controller type='pci' index='1' model='pcie-root-port'>
                  <target chassis='1' port='0x10'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
                </controller>
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <driver name='vfio'/>
                  <source>
                    <address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
                  </source>
                  <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                </hostdev>
                """)),
    ];

    public IEnumerable<Finding> Check(LintContext c)
    {
        var t = c.Tuning;
        // No -cpu (or an empty one) is QEMU's default model, qemu64.
        var written = string.IsNullOrWhiteSpace(t.CpuModel) ? null : t.CpuModel;
        var model = written ?? "QEMU's default qemu64 (no -cpu given)";
        // macOS runs on the models it supports (OSX-KVM's Penryn); host-passthrough is not the advice for it.
        if (written is not ("host" or "host-passthrough" or "max") && t.MacOsEvidence is null)
        {
            var severity = t.CpuModel == "host-model" ? Severity.Info : Rule.Severity;
            yield return t.CpuReplacedBy is { } replaced
                ? c.Report(Rule, $"CPU model is {model}, not host-passthrough ({replaced}: change it there)", t.CpuLine, null, severity)
                : c.Report(Rule, $"CPU model is {model}, not host-passthrough", t.CpuLine, new UseHostCpu(), severity);
        }
        var amd = c.Host?.IsAmd ?? (t.CpuModel ?? "").Contains("EPYC", StringComparison.OrdinalIgnoreCase);
        if (amd && t.ThreadsPerCore > 1 && !t.CpuFeatures.Contains("topoext"))
            yield return t.CpuReplacedBy is { } replaced
                ? c.Report(Rule, $"AMD CPU with {t.ThreadsPerCore} threads per core in the guest but no topoext ({replaced}: add it there)", t.CpuLine)
                : c.Report(Rule, $"AMD CPU with {t.ThreadsPerCore} threads per core in the guest but no topoext", t.CpuLine, new AddCpuFeature("topoext"));
    }
}
