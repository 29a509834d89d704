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

    /// <summary>The domain with <paramref name="devices"/> (children of &lt;devices&gt;, unindented) inside it.</summary>
    public static string Q35(string devices) =>
        Head + "\n" + string.Join("\n", devices.Split('\n').Select(l => "    " + l)) + "\n" + Tail;
}
