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

    /// <summary>q35's root complex: the first of the devices of every q35 example.</summary>
    public const string PcieRoot = "<controller type='pci' index='0' model='pcie-root'/>";

    /// <summary>The domain with <paramref name="devices"/> (children of &lt;devices&gt;, unindented) inside it.</summary>
    public static string Q35(string devices) => Head + "\n" + Indent(devices) + "\n" + Tail;

    /// <summary>
    /// The domain with a GPU (0000:0b:00.0) behind a root port: the devices of examples that are about something
    /// else, and what the tuning rules' examples change a line of.
    /// </summary>
    public static string Gpu { get; } = Q35(RootPorts(1) + "\n" + Hostdev("0b:00.0", at: "01:00.0"));

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

    /// <summary>
    /// <see cref="PcieRoot"/> and <paramref name="count"/> root ports (buses 1 to count) in the functions of guest
    /// slot 00:02, function 0 multifunction when it has company: libvirt's own layout for the ports it adds.
    /// </summary>
    public static string RootPorts(int count) => string.Join("\n",
        Enumerable.Range(1, count).Select(i => RootPort(i, multifunction: i == 1 && count > 1)).Prepend(PcieRoot));

    /// <summary>
    /// The pcie-root-port controller of bus <paramref name="index"/> at 00:02.(index - 1), with libvirt's chassis
    /// (the index, unless <paramref name="chassis"/>) and port (0x10 for index 1), and <paramref name="model"/>
    /// (the QEMU device, &lt;model name&gt;) when given. Unindented, like <see cref="Hostdev"/>.
    /// </summary>
    public static string RootPort(int index, bool multifunction = false, int? chassis = null, string? model = null) =>
        $"""
        <controller type='pci' index='{index}' model='pcie-root-port'>
        {(model is null ? "" : $"  <model name='{model}'/>\n")}  <target chassis='{chassis ?? index}' port='0x{0x0f + index:x}'/>
          <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x{index - 1}'{(multifunction ? " multifunction='on'" : "")}/>
        </controller>
        """;

    /// <summary>"&lt;address ... bus='0x0b' slot='0x00' function='0x1'/&gt;" for "0b:00.1".</summary>
    private static string Address(string head, string busSlotFunction, string more) =>
        $"<{head} bus='0x{busSlotFunction[..2]}' slot='0x{busSlotFunction[3..5]}' function='0x{busSlotFunction[6..]}'{more}/>";

    private static string Indent(string lines) => string.Join("\n", lines.Split('\n').Select(l => "    " + l));
}
