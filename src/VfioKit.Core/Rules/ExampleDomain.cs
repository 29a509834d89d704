namespace VfioKit.Rules;

/// <summary>
/// The libvirt domain most rule examples share (q35, UEFI, host-passthrough CPU, hugepages) around the
/// example's own &lt;devices&gt; children, so an example spells out only the devices it is about.
/// </summary>
internal static class ExampleDomain
{
    private const string Head = """
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
          <cpu mode='host-passthrough' check='none'/>
          <memoryBacking>
            <hugepages/>
          </memoryBacking>
          <devices>
        """;

    private const string Tail = """
          </devices>
        </domain>
        """;

    /// <summary>A GPU (0000:0b:00.0) behind a root port: the devices of examples that are about something else.</summary>
    public const string GpuBehindPort = """
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
        """;

    /// <summary>The domain with <paramref name="devices"/> (children of &lt;devices&gt;, unindented) inside it.</summary>
    public static string Q35(string devices) =>
        Head + "\n" + string.Join("\n", devices.Split('\n').Select(l => "    " + l)) + "\n" + Tail;
}
