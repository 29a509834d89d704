using VfioKit.Tests.Cli;
using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Hostile;

/// <summary>
/// Issue 11's crashes, hangs and unbounded inputs, each as the user meets it: `vfiokit lint` or `fix` on the
/// file answers with exit 2 and a message naming the file and line (what QEMU, qemu-server or libvirt would
/// say), never a .NET stack trace and never exit 70.
/// </summary>
public class HostileInputTests
{
    private static CliRun Run(TempDirectory dir, string name, string text, params string[] verb)
    {
        var path = dir.File(name);
        File.WriteAllText(path, text);
        return CliRun.Of([.. verb, path]);
    }

    private static void AssertRefused(CliRun run, string fileAndLine, string message)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(fileAndLine, run.Error);
        Assert.Contains(message, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Theory]
    [InlineData("lint")]
    [InlineData("fix")]
    public void Proxmox_cpu_with_a_repeated_key_is_refused_as_qemu_server_does(string verb)
    {
        using var dir = new TempDirectory("vk-hostile");
        var text = File.ReadAllText(TestPaths.DataFile("configs", "proxmox-q35-gpu.conf")).Replace("cpu: host,hidden=1", "cpu: host,hidden=1,hidden=0");
        AssertRefused(Run(dir, "101.conf", text, verb), "101.conf:8:1:", "cpu: duplicate key 'hidden'");
    }

    [Fact]
    public void A_JSON_device_with_a_repeated_key_is_refused_as_qemu_does()
    {
        using var dir = new TempDirectory("vk-hostile");
        var run = Run(dir, "vm.sh", "#!/bin/sh\nqemu-system-x86_64 -machine q35 -device '{\"driver\":\"pcie-root-port\",\"id\":\"rp0\",\"id\":\"rp1\",\"bus\":\"pcie.0\"}'\n", "fix");
        AssertRefused(run, "vm.sh:2:", "Duplicate property 'id'");
    }

    [Fact]
    public void Two_devices_with_one_id_are_refused_as_qemu_does()
    {
        using var dir = new TempDirectory("vk-hostile");
        var run = Run(dir, "vm.sh", "#!/bin/sh\nqemu-system-x86_64 -machine pc \\\n  -device vfio-pci,host=0b:00.0,id=gpu \\\n  -device vfio-pci,host=0b:00.1,id=gpu\n", "fix");
        AssertRefused(run, "vm.sh:4:", "Duplicate ID 'gpu' for device");
    }

    [Theory]
    [InlineData("2147483647")]
    [InlineData("256")]
    public void A_PCI_controller_index_above_255_is_refused_as_libvirt_does(string index)
    {
        using var dir = new TempDirectory("vk-hostile");
        var xml = $"<domain type='kvm'>\n  <name>x</name>\n  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n  <devices>\n    <controller type='pci' index='{index}' model='pcie-root-port'/>\n  </devices>\n</domain>\n";
        AssertRefused(Run(dir, "vm.xml", xml, "lint"), "vm.xml:5:", $"PCI controller index {index} too high, maximum is 255");
    }

    [Fact]
    public void Two_PCI_controllers_with_one_index_are_refused_as_libvirt_does()
    {
        using var dir = new TempDirectory("vk-hostile");
        var xml = "<domain type='kvm'>\n<name>x</name>\n<devices>\n<controller type='pci' index='1' model='pcie-root-port'/>\n<controller type='pci' index='1' model='pcie-root-port'/>\n</devices>\n</domain>\n";
        AssertRefused(Run(dir, "vm.xml", xml, "lint"), "vm.xml:5:", "Multiple 'pci' controllers with index '1'");
    }

    [Fact]
    public void An_upstream_port_and_33_downstream_ports_with_one_index_end_quickly()
    {
        using var dir = new TempDirectory("vk-hostile");
        var xml = "<domain type='kvm'><name>x</name><devices>\n<controller type='pci' index='1' model='pcie-switch-upstream-port'/>\n" +
                  string.Concat(Enumerable.Repeat("<controller type='pci' index='2' model='pcie-switch-downstream-port'/>\n", 33)) + "</devices></domain>\n";
        var started = System.Diagnostics.Stopwatch.StartNew();
        var run = Run(dir, "vm.xml", xml, "fix");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        AssertRefused(run, "vm.xml:4:", "Multiple 'pci' controllers with index '2'");
    }

    [Fact]
    public void XML_nested_deeper_than_256_is_refused_quickly_with_the_line()
    {
        using var dir = new TempDirectory("vk-hostile");
        // 700 KB, the size that took 29 s before the bound.
        const int depth = 100_000;
        var xml = "<domain type='kvm'><name>x</name><devices>\n" + string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth)) + "</devices></domain>\n";
        var started = System.Diagnostics.Stopwatch.StartNew();
        var run = Run(dir, "deep.xml", xml, "lint");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"took {started.Elapsed}");
        AssertRefused(run, "deep.xml:2:", "nested 257 elements deep; vfiokit reads at most 256");
    }

    [Fact]
    public void XML_of_700_KB_at_the_allowed_depth_reads_in_linear_time()
    {
        using var dir = new TempDirectory("vk-hostile");
        var block = string.Concat(Enumerable.Repeat("<a>", 250)) + string.Concat(Enumerable.Repeat("</a>", 250));
        var xml = "<domain type='kvm'><name>x</name><devices>\n" + string.Concat(Enumerable.Repeat(block, 400)) + "\n</devices></domain>\n";
        var started = System.Diagnostics.Stopwatch.StartNew();
        var run = Run(dir, "deep.xml", xml, "lint");
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
        Assert.Equal(1, run.ExitCode); // read; the only finding is about the CPU model
        Assert.Contains("VK206", run.Out);
    }
}
