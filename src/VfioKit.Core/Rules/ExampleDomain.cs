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
    public static string Q35(string devices) => Head + "\n" + Indent(devices) + "\n" + Tail;

    /// <summary>The domain with <see cref="GpuBehindPort"/>: what the tuning rules' examples change a line of.</summary>
    public static string Gpu { get; } = Q35(GpuBehindPort);

    /// <summary><see cref="Gpu"/> with <paramref name="children"/> (unindented) added to &lt;features&gt; after &lt;apic/&gt;.</summary>
    public static string GpuWithFeatures(string children) =>
        Gpu.Replace("    <apic/>\n", "    <apic/>\n" + Indent(children) + "\n", StringComparison.Ordinal);

    /// <summary>
    /// A &lt;hostdev&gt; passing host function 0000:<paramref name="source"/> ("0b:00.1") to the guest at <paramref name="at"/>
    /// (libvirt's bus:slot.function, "01:00.0"), with <paramref name="address"/> added to its guest address
    /// (" multifunction='on'") and <paramref name="more"/> (a child such as &lt;rom&gt;) before it. Unindented, for a
    /// line of its own in <see cref="Q35"/>'s devices.
    /// </summary>
    public static string Hostdev(string source, string at, string address = "", string more = "") =>
        $"""
        <hostdev mode='subsystem' type='pci' managed='yes'>
          <driver name='vfio'/>
          <source>
            {Address("address domain='0x0000'", source, "")}
          </source>
        {(more.Length > 0 ? "  " + more + "\n" : "")}  {Address("address type='pci' domain='0x0000'", at, address)}
        </hostdev>
        """;

    /// <summary>"&lt;address ... bus='0x0b' slot='0x00' function='0x1'/&gt;" for "0b:00.1".</summary>
    private static string Address(string head, string busSlotFunction, string more) =>
        $"<{head} bus='0x{busSlotFunction[..2]}' slot='0x{busSlotFunction[3..5]}' function='0x{busSlotFunction[6..]}'{more}/>";

    private static string Indent(string lines) => string.Join("\n", lines.Split('\n').Select(l => "    " + l));
}
