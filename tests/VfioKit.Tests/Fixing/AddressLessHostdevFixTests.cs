using VfioKit.Formats;
using VfioKit.Linting;
using VfioKit.Rules;

namespace VfioKit.Tests.Fixing;

/// <summary>
/// Host devices with no guest &lt;address&gt; (as KubeVirt writes them): libvirt puts each function behind a root
/// port of its own (VK103), and the fix gathers them behind one new pcie-root-port, guest function = host function.
/// </summary>
public class AddressLessHostdevFixTests
{
    private static string Domain(string devices) => $"""
        <domain type='kvm'>
          <name>vm</name>
          <memory unit='KiB'>8388608</memory>
          <vcpu placement='static'>4</vcpu>
          <os>
            <type arch='x86_64' machine='q35'>hvm</type>
          </os>
          <devices>
        {devices}
          </devices>
        </domain>

        """;

    private const string Gpu = """
            <hostdev mode='subsystem' type='pci' managed='no'>
              <source>
                <address domain='0x0000' bus='0x0b' slot='0x00' function='0x0'/>
              </source>
              <alias name='ua-gpu-gpu1'/>
            </hostdev>
        """;

    private const string Audio = """
            <hostdev mode='subsystem' type='pci' managed='no'>
              <source>
                <address domain='0x0000' bus='0x0b' slot='0x00' function='0x1'/>
              </source>
              <alias name='ua-hostdevice-audio1'/>
            </hostdev>
        """;

    private static IEnumerable<string> Topology(string text) =>
        Linter.Lint(new ConfigDocument("vm.xml", text, ConfigFormat.Libvirt)).Findings
            .Where(f => f.RuleId is RuleIds.FunctionsSplitAcrossSlots or RuleIds.PcieDeviceOnRootBus).Select(f => f.RuleId + ": " + f.Message);

    [Theory]
    [InlineData("both without an address")]
    [InlineData("function 0 placed, function 1 without an address")]
    public void Address_less_functions_are_gathered_in_one_slot_and_the_result_validates(string layout)
    {
        var devices = layout == "both without an address"
            ? Gpu + "\n" + Audio
            : """
                  <controller type='pci' index='0' model='pcie-root'/>
                  <controller type='pci' index='1' model='pcie-root-port'/>
              """ + "\n" + Gpu.Replace("  <alias name='ua-gpu-gpu1'/>", "  <alias name='ua-gpu-gpu1'/>\n      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>", StringComparison.Ordinal) + "\n" + Audio;
        var text = Domain(devices);
        Assert.Contains(Topology(text), f => f.StartsWith(RuleIds.FunctionsSplitAcrossSlots, StringComparison.Ordinal));

        var result = Fixer.Fix(new ConfigDocument("vm.xml", text, ConfigFormat.Libvirt), new FixOptions());
        var written = result.FixedText.Replace(" />", "/>", StringComparison.Ordinal);

        Assert.Contains(result.Applied, f => f.RuleId == RuleIds.FunctionsSplitAcrossSlots);
        Assert.Empty(Topology(result.FixedText));
        // Both functions in one guest slot, function numbers as on the host, multifunction at function 0.
        const string slot = "bus='0x01' slot='0x00'";
        if (layout == "both without an address")
            Assert.Contains("<controller type='pci' index='1' model='pcie-root-port'/>", written, StringComparison.Ordinal);
        Assert.Contains($"domain='0x0000' {slot} function='0x0' multifunction='on'/>", written, StringComparison.Ordinal);
        Assert.Contains($"<address type='pci' domain='0x0000' {slot} function='0x1'/>", written, StringComparison.Ordinal);

        using var temp = new TempDirectory("vfiokit-addressless-");
        var path = temp.File("vm.xml");
        File.WriteAllText(path, result.FixedText);
        var (code, output) = ToolRun.Of("virt-xml-validate", path, "domain");
        Assert.True(code == 0, $"virt-xml-validate refused the fixed XML:\n{output}\n{result.FixedText}");
    }
}
