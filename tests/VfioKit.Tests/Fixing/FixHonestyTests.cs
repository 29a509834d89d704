using VfioKit.Formats;
using VfioKit.Linting;
using VfioKit.Rules;
using VfioKit.Vm;

namespace VfioKit.Tests.Fixing;

/// <summary>
/// `fix` reports only what it did: every rule it says it fixed is gone when the result is linted again,
/// the topology is planned once (no added port left empty), and a new port's address avoids the devices
/// the machine places itself (issue 13).
/// </summary>
public class FixHonestyTests
{
    private static (FixResult Result, LintReport After) Fix(string path, string text, ConfigFormat format, bool unsafeFixes = false)
    {
        var doc = new ConfigDocument(path, text, format);
        var result = Fixer.Fix(doc, new FixOptions(Unsafe: unsafeFixes));
        return (result, Linter.Lint(doc with { Text = result.FixedText }));
    }

    /// <summary>libvirt's schema accepts the fixed domain.</summary>
    private static void AssertValidDomain(string xml)
    {
        using var temp = new TempDirectory("vfiokit-honest-");
        var path = temp.File("domain.xml");
        File.WriteAllText(path, xml);
        var (code, output) = ToolRun.Of("virt-xml-validate", path, "domain");
        Assert.True(code == 0, $"virt-xml-validate refused the fixed XML:\n{output}\n{xml}");
    }

    /// <summary>Every rule `fix` says it fixed is absent from the re-lint.</summary>
    private static void AssertHonest(FixResult result, LintReport after) =>
        Assert.All(result.Applied, f => Assert.DoesNotContain(after.Findings, a => a.RuleId == f.RuleId));

    [Fact]
    public void Hyper_v_elements_written_off_are_switched_on_not_duplicated()
    {
        // KubeVirt and virt-manager write the elements with state='off'; a second <relaxed> is refused by libvirt.
        const string xml = """
            <domain type='kvm'>
              <name>win</name>
              <memory unit='KiB'>8388608</memory>
              <vcpu placement='static'>2</vcpu>
              <os><type arch='x86_64' machine='q35'>hvm</type></os>
              <features>
                <acpi/>
                <hyperv mode='custom'>
                  <relaxed state='off'/>
                  <vapic state='off'/>
                  <spinlocks state='off'/>
                </hyperv>
              </features>
              <cpu mode='host-passthrough' check='none'/>
              <clock offset='localtime'>
                <timer name='hypervclock' present='no'/>
              </clock>
              <devices>
                <controller type='pci' index='0' model='pcie-root'/>
                <controller type='pci' index='1' model='pcie-root-port'>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
                </controller>
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <source><address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/></source>
                  <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                </hostdev>
              </devices>
            </domain>
            """;
        var (result, after) = Fix("win.xml", xml, ConfigFormat.Libvirt);
        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.HyperVEnlightenmentsMissing);
        var hyperv = System.Xml.Linq.XDocument.Parse(result.FixedText).Root!.Element("features")!.Element("hyperv")!;
        foreach (var name in (string[])["relaxed", "vapic", "spinlocks"])
            Assert.Equal("on", (string?)Assert.Single(hyperv.Elements(name)).Attribute("state"));
        Assert.Equal("8191", (string?)hyperv.Element("spinlocks")!.Attribute("retries"));
        Assert.Contains("<timer name='hypervclock' present='yes'/>", result.FixedText);
        Assert.DoesNotContain("present='no'", result.FixedText);
        AssertHonest(result, after);
        AssertValidDomain(result.FixedText);
    }

    [Fact]
    public void An_explicit_x_speed_below_the_gpu_is_replaced_not_reported_fixed_unchanged()
    {
        const string script = """
            qemu-system-x86_64 -M q35 -cpu host \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,x-speed=8,x-width=16 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0
            """;
        var (result, after) = Fix("vm.sh", script, ConfigFormat.Qemu);
        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.PortLinkBelowHost);
        Assert.NotEqual(script, result.FixedText);
        Assert.DoesNotContain("x-speed=8", result.FixedText);
        AssertHonest(result, after);
    }

    private static string LibvirtOnMachine(string machine) => $"""
        <domain type='kvm'>
          <name>vm</name>
          <memory unit='KiB'>8388608</memory>
          <vcpu placement='static'>4</vcpu>
          <os firmware='efi'>
            <type arch='x86_64' machine='{machine}'>hvm</type>
          </os>
          <cpu mode='host-passthrough' check='none'/>
          <devices>
            <controller type='pci' index='0' model='pcie-root'/>
            <controller type='pci' index='1' model='pcie-root-port'>
              <target chassis='1' port='0x10'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
            </controller>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source>
                <address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
              </source>
              <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
            </hostdev>
          </devices>
        </domain>
        """;

    [Fact]
    public void On_a_libvirt_machine_type_before_4_0_the_link_fix_is_declined_unless_unsafe_and_then_really_made()
    {
        var xml = LibvirtOnMachine("pc-q35-3.1");
        Assert.Contains(Linter.Lint(new ConfigDocument("vm.xml", xml, ConfigFormat.Libvirt)).Findings, f => f.RuleId == RuleIds.PortLinkBelowHost);
        // Safe: a generic port on 3.1 is still 2.5GT/s x1, so nothing is claimed.
        var (safe, safeAfter) = Fix("vm.xml", xml, ConfigFormat.Libvirt);
        Assert.DoesNotContain(safe.Applied, f => f.RuleId == RuleIds.PortLinkBelowHost);
        Assert.Contains(safeAfter.Findings, f => f.RuleId == RuleIds.PortLinkBelowHost && f.Fix is { Unsafe: true });
        // Unsafe: the newest q35, whose generic ports advertise 16GT/s x32; the re-lint agrees.
        var (fixedUnsafe, after) = Fix("vm.xml", xml, ConfigFormat.Libvirt, unsafeFixes: true);
        Assert.Contains(fixedUnsafe.Applied, f => f.RuleId == RuleIds.PortLinkBelowHost);
        Assert.Contains("machine='q35'", fixedUnsafe.FixedText);
        AssertHonest(fixedUnsafe, after);
        AssertValidDomain(fixedUnsafe.FixedText);
    }

    /// <summary>Every port in the fixed file has a device behind it.</summary>
    private static void AssertNoEmptyPort(string path, string text)
    {
        var topology = VmConfigFile.Parse(path, text).Topology;
        foreach (var port in topology.Configured.Where(d => d.Controller is { } m && m.IsPort()))
            Assert.Contains(topology.Configured, d => d.Placement?.Bus == port.Id);
    }

    [Fact]
    public void A_split_gpu_on_the_root_bus_gets_one_new_port_holding_both_functions_in_a_script()
    {
        const string script = """
            qemu-system-x86_64 -M q35 -cpu host \
              -device vfio-pci,host=0000:0b:00.0,bus=pcie.0,addr=0x5 \
              -device vfio-pci,host=0000:0b:00.1,bus=pcie.0,addr=0x6
            """;
        var (result, after) = Fix("vm.sh", script, ConfigFormat.Qemu);
        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.PcieDeviceOnRootBus);
        Assert.Single(result.FixedText.Split("pcie-root-port").Skip(1));
        Assert.DoesNotContain(after.Findings, f => f.RuleId is RuleIds.PcieDeviceOnRootBus or RuleIds.FunctionsSplitAcrossSlots);
        AssertNoEmptyPort("vm.sh", result.FixedText);
        AssertHonest(result, after);
    }

    [Fact]
    public void A_split_gpu_on_the_root_bus_gets_one_new_port_holding_both_functions_in_libvirt()
    {
        var xml = ExampleDomainQ35("""
            <controller type='pci' index='0' model='pcie-root'/>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source>
                <address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
              </source>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
            </hostdev>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source>
                <address domain='0x0000' bus='0x0b' slot='0x00' function='0x1'/>
              </source>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x06' function='0x0'/>
            </hostdev>
            """);
        var (result, after) = Fix("vm.xml", xml, ConfigFormat.Libvirt);
        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.PcieDeviceOnRootBus);
        Assert.Single(result.FixedText.Split("model='pcie-root-port'").Skip(1));
        Assert.DoesNotContain(after.Findings, f => f.RuleId is RuleIds.PcieDeviceOnRootBus or RuleIds.FunctionsSplitAcrossSlots);
        AssertNoEmptyPort("vm.xml", result.FixedText);
        AssertHonest(result, after);
        AssertValidDomain(result.FixedText);
    }

    [Fact]
    public void An_audio_function_on_the_root_bus_joins_its_gpu_behind_the_existing_port_instead_of_a_new_one()
    {
        const string script = """
            qemu-system-x86_64 -M q35 -cpu host \
              -device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0 \
              -device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0 \
              -device vfio-pci,host=0000:0b:00.1,bus=pcie.0,addr=0x6
            """;
        var (result, after) = Fix("vm.sh", script, ConfigFormat.Qemu);
        Assert.DoesNotContain("vfiokit-rp", result.FixedText);
        Assert.Contains("-device vfio-pci,host=0000:0b:00.1,bus=rp1,addr=0x0.0x1", result.FixedText);
        Assert.DoesNotContain(after.Findings, f => f.RuleId is RuleIds.PcieDeviceOnRootBus or RuleIds.FunctionsSplitAcrossSlots);
        AssertNoEmptyPort("vm.sh", result.FixedText);
        AssertHonest(result, after);
    }

    [Fact]
    public void A_new_port_takes_a_root_bus_slot_no_device_uses_implicit_ones_included()
    {
        // q35 places its default VGA and NIC itself, at the first free slots; the new port must not take one.
        const string script = """
            qemu-system-x86_64 -M q35 -cpu host \
              -device vfio-pci,host=0000:0b:00.0,bus=pcie.0,addr=0x3
            """;
        var before = VmConfigFile.Parse("vm.sh", script).Topology;
        var used = before.Devices.Where(d => d.Placement?.Bus == before.RootBusId).Select(d => d.Placement!.Address.Slot).ToHashSet();
        Assert.Contains(before.Devices, d => d.IsImplicit && d.Placement?.Bus == before.RootBusId);
        var (result, after) = Fix("vm.sh", script, ConfigFormat.Qemu);
        var fixedTopology = VmConfigFile.Parse("vm.sh", result.FixedText).Topology;
        var port = Assert.Single(fixedTopology.Configured, d => d.Id == "vfiokit-rp1");
        Assert.DoesNotContain(port.Placement!.Address.Slot, used);
        // Every device the machine placed keeps its address.
        foreach (var d in before.Devices.Where(d => d.IsImplicit && d.Placement is not null))
            Assert.Contains(fixedTopology.Devices, f => f.Driver == d.Driver && f.Placement == d.Placement);
        Assert.DoesNotContain(after.Findings, f => f.RuleId == RuleIds.AddressInUse);
        AssertHonest(result, after);
    }

    private static string ExampleDomainQ35(string devices) => $"""
        <domain type='kvm'>
          <name>vm</name>
          <memory unit='KiB'>8388608</memory>
          <vcpu placement='static'>4</vcpu>
          <os firmware='efi'>
            <type arch='x86_64' machine='q35'>hvm</type>
          </os>
          <cpu mode='host-passthrough' check='none'/>
          <devices>
        {string.Join("\n", devices.Split('\n').Select(l => "    " + l))}
          </devices>
        </domain>
        """;
}
