using System.Text.Json;
using System.Xml.Linq;
using VfioKit.Generation;
using VfioKit.Host;
using VfioKit.Libvirt;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Lab;

namespace VfioKit.Tests.Libvirt;

/// <summary>`plan --connect URI` and `new --connect URI`: planning for the host behind libvirt, through its test driver.</summary>
public class NewPlanConnectTests
{
    internal static string TwoGpus => "test://" + TestPaths.DataFile("nodedev", "two-gpus.xml");

    [Fact]
    public void Plan_pins_on_one_cell_of_the_test_drivers_host()
    {
        var run = CliRun.Of("plan", "--vcpus", "4", "--connect", "test:///default", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var plan = JsonDocument.Parse(run.Out).RootElement;
        var node = plan.GetProperty("node").GetInt32();
        var cells = new Dictionary<int, int[]> { [0] = [.. Enumerable.Range(0, 8)], [1] = [.. Enumerable.Range(8, 8)] };
        var pinned = plan.GetProperty("vcpus").EnumerateArray().Select(v => v.GetProperty("hostCpu").GetInt32()).ToArray();
        Assert.Equal(4, pinned.Length);
        Assert.All(pinned, cpu => Assert.Contains(cpu, cells[node]));
    }

    [Fact]
    public void A_gpu_that_is_not_among_the_node_devices_is_bad_input_naming_the_host()
    {
        var run = CliRun.Of("plan", "--vcpus", "4", "--gpu", "0000:0b:00", "--connect", "test:///default");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--gpu: no PCI device 0000:0b:00.0 among the node devices of test:///default", run.Error);
    }

    [Fact]
    public void A_host_whose_capabilities_list_no_cpus_is_bad_input_naming_the_uri()
    {
        var run = CliRun.Of("new", "--gpu", "0000:0b:00", "--memory", "4G", "--vcpus", "4", "--format", "libvirt", "--connect", TwoGpus);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--connect: {TwoGpus}: libvirt's capabilities list no CPUs", run.Error);
        var unreachable = CliRun.Of("new", "--gpu", "0000:0b:00", "--memory", "4G", "--vcpus", "4", "--format", "libvirt", "--connect", "qemu+tcp://127.0.0.1:1/system");
        Assert.Equal(3, unreachable.ExitCode);
        Assert.Contains("qemu+tcp://127.0.0.1:1/system: cannot connect:", unreachable.Error);
    }

    /// <summary>The test driver has either node devices (a node file) or cells (test:///default), never both, so the
    /// host is put together from the two, both as libvirt gives them: the GA102 on cell 1 gets its vCPUs there.</summary>
    [Fact]
    public void A_vm_for_a_host_read_through_libvirt_sits_on_its_gpus_cell()
    {
        using var devices = LibvirtConnection.Open(TwoGpus, readOnly: true);
        using var cells = LibvirtConnection.Open("test:///default", readOnly: true);
        var facts = new LibvirtHostSource(devices).Read() with { Cpu = new LibvirtHostSource(cells).Read().Cpu };
        var host = HostModel.From(facts);
        var software = VmHostSoftware.FromLibvirt(cells.Uri, HostCapabilities.Parse(cells.Capabilities()).Q35Machines, null, () => "pc-q35-7.2");
        var vm = VmBlueprintBuilder.Build(host, new VmRequest(["0000:0b:00"], 4L << 30, 4, "ga102"), software.MachineType, software.Firmware);
        var xml = XDocument.Parse(VmGenerator.Write(vm, VmFormat.Libvirt));
        var sources = xml.Descendants("hostdev").Select(h => h.Element("source")!.Element("address")!).Select(a => (string?)a.Attribute("bus") + ":" + (string?)a.Attribute("function")).ToArray();
        Assert.Equal(["0x0b:0x0", "0x0b:0x1"], sources);
        var pinned = xml.Descendants("vcpupin").Select(p => int.Parse((string)p.Attribute("cpuset")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, pinned.Length);
        Assert.All(pinned, cpu => Assert.InRange(cpu, 8, 15));
        // Neither URI's libvirt told the machine type or the firmware: both notes say where they came from instead.
        Assert.Contains(software.Notes, n => n.Contains("lists no x86_64 q35 machine type", StringComparison.Ordinal));
        Assert.Contains(software.Notes, n => n.Contains("did not list its firmware", StringComparison.Ordinal));
    }
}

/// <summary>`plan`/`new --connect qemu:///system` against the suite's libvirtd: the same plan and VM as for this host read from sysfs.</summary>
[Collection(LibvirtdCollection.Name)]
public sealed class NewPlanConnectOnLibvirtdTests(LibvirtdFixture libvirtd)
{
    [Fact]
    public void Plan_and_new_through_libvirtd_are_what_they_are_for_this_host()
    {
        libvirtd.EnsureRunning();
        var host = JsonDocument.Parse(CliRun.Of("host", "--json").Out).RootElement;
        var gpu = host.GetProperty("gpus").EnumerateArray().Select(g => g.GetProperty("slot").GetString()).FirstOrDefault()
            ?? host.GetProperty("pciDevices").EnumerateArray().Last().GetProperty("slot").GetString()!;
        var vcpus = Math.Max(1, host.GetProperty("cpu").GetProperty("count").GetInt32() - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        // One CPU stays with the host (the plan keeps a core for it).
        var localPlan = CliRun.Of("plan", "--vcpus", vcpus, "--gpu", gpu, "--json");
        var remotePlan = CliRun.Of("plan", "--vcpus", vcpus, "--gpu", gpu, "--connect", LibvirtdFixture.Uri, "--json");
        Assert.True(localPlan.ExitCode == 0, localPlan.Error);
        Assert.Equal(localPlan.ExitCode, remotePlan.ExitCode);
        Assert.Equal(localPlan.Out, remotePlan.Out);

        // With a GPU here the VMs are the same; without one both refuse the same way.
        string[] args = ["new", "--gpu", gpu, "--memory", "1G", "--vcpus", vcpus, "--format", "libvirt", "--name", "h14-same"];
        var localNew = CliRun.Of(args);
        var remoteNew = CliRun.Of([.. args, "--connect", LibvirtdFixture.Uri]);
        Assert.Equal(localNew.ExitCode, remoteNew.ExitCode);
        if (localNew.ExitCode == 0) Assert.Equal(localNew.Out, remoteNew.Out);
        else Assert.Equal(localNew.Error, remoteNew.Error);
    }
}
