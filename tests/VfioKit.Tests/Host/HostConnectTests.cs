using System.Text.Json;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Lab;

namespace VfioKit.Tests.Host;

/// <summary>
/// `host --connect URI`: the host as libvirt's node devices and capabilities describe it, in `host`'s own JSON schema,
/// through libvirt's test driver (test:///default for CPUs and cells; a node file with real cards' node devices).
/// </summary>
public class HostConnectTests
{
    private static string TwoGpus => "test://" + TestPaths.DataFile("nodedev", "two-gpus.xml");

    private static JsonElement Json(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.True(run.ExitCode is 0 or 1, run.Error);
        return JsonDocument.Parse(run.Out).RootElement;
    }

    [Fact]
    public void The_test_drivers_capabilities_give_its_cells_sockets_and_cpus()
    {
        var host = Json("host", "--connect", "test:///default", "--json");
        var cpu = host.GetProperty("cpu");
        Assert.Equal("0-15", cpu.GetProperty("online").GetString());
        Assert.Equal(["0-7", "8-15"], cpu.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("cpus").GetString()));
        var nodes = cpu.GetProperty("numaNodes").EnumerateArray().ToArray();
        Assert.Equal([0, 1], nodes.Select(n => n.GetProperty("id").GetInt32()));
        Assert.Equal(["0-7", "8-15"], nodes.Select(n => n.GetProperty("cpus").GetString()));
        Assert.Equal([2097152L, 4194304L], nodes.Select(n => n.GetProperty("memTotalKb").GetInt64()));
        Assert.Equal(16, cpu.GetProperty("smtSiblings").GetArrayLength());
        Assert.Equal(6291456, host.GetProperty("memory").GetProperty("totalKb").GetInt64());
        // What libvirt does not give is named, and left unknown rather than guessed.
        var absent = host.GetProperty("absent").EnumerateArray().Select(a => a.GetString()).ToArray();
        Assert.Contains("configSpace", absent);
        Assert.Contains("kernelModules", absent);
        Assert.Equal(JsonValueKind.Null, host.GetProperty("kernelCommandLine").ValueKind);
        Assert.Equal(JsonValueKind.Null, cpu.GetProperty("model").ValueKind);
        var vfio = host.GetProperty("readiness").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "vfio");
        Assert.Equal("warn", vfio.GetProperty("status").GetString());
        Assert.StartsWith("unknown:", vfio.GetProperty("detail").GetString());
    }

    [Fact]
    public void Node_devices_give_the_gpus_their_groups_numa_nodes_and_links()
    {
        var host = Json("host", "--connect", TwoGpus, "--json");
        var gpus = host.GetProperty("gpus").EnumerateArray().ToArray();
        Assert.Equal(["0000:0b:00", "0000:0e:00"], gpus.Select(g => g.GetProperty("slot").GetString()));
        var nvidia = gpus[0];
        Assert.Equal("viable", nvidia.GetProperty("viability").GetString());
        Assert.Equal([14], nvidia.GetProperty("iommuGroups").EnumerateArray().Select(g => g.GetInt32()));
        Assert.Equal(1, nvidia.GetProperty("numaNode").GetInt32());
        Assert.Equal(["0000:0b:00.0", "0000:0b:00.1"], nvidia.GetProperty("functions").EnumerateArray().Select(f => f.GetString()));
        var link = nvidia.GetProperty("hostLink");
        Assert.Equal("libvirt", link.GetProperty("source").GetString());
        Assert.Equal(16.0, link.GetProperty("linkCapability").GetProperty("speedGTs").GetDouble());
        Assert.Equal(2.5, link.GetProperty("linkStatus").GetProperty("speedGTs").GetDouble());
        // The AMD card's own switch: the slot's link is at its upstream port, found from the node devices' paths.
        var slot = gpus[1].GetProperty("slotLink");
        Assert.Equal("0000:0c:00.0", slot.GetProperty("upstreamPort").GetString());
        Assert.Equal(8.0, slot.GetProperty("linkStatus").GetProperty("speedGTs").GetDouble());

        var display = host.GetProperty("pciDevices").EnumerateArray().Single(d => d.GetProperty("address").GetString() == "0000:0b:00.0");
        Assert.Equal("0x10de", display.GetProperty("vendorId").GetString());
        Assert.Equal("0x030000", display.GetProperty("classCode").GetString());
        Assert.Equal("GA102 [GeForce RTX 3090]", display.GetProperty("deviceName").GetString());
        // Config space, reset methods and boot_vga are not in a node device: null, not made up.
        Assert.Equal(JsonValueKind.Null, display.GetProperty("resetMethods").ValueKind);
        Assert.Equal(JsonValueKind.Null, display.GetProperty("bootVga").ValueKind);
        Assert.Equal(JsonValueKind.Null, display.GetProperty("subsystemVendorId").ValueKind);
        Assert.Equal(0, display.GetProperty("configBytes").GetInt32());
        Assert.Equal([2, 5, 6, 7, 8, 14], host.GetProperty("iommuGroups").EnumerateArray().Select(g => g.GetProperty("number").GetInt32()));
    }

    [Fact]
    public void The_text_names_the_facts_libvirt_does_not_give_once()
    {
        var run = CliRun.Of("host", "--connect", TwoGpus);
        Assert.Contains("0000:0b:00", run.Out);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(run.Out, "Not reported"));
        var text = System.Text.RegularExpressions.Regex.Replace(run.Out, @"\s+", " ");
        Assert.Contains("configSpace", text[text.IndexOf("Not reported", StringComparison.Ordinal)..]);
        Assert.Contains("resetMethods", text[text.IndexOf("Not reported", StringComparison.Ordinal)..]);
        var local = CliRun.Of("host");
        Assert.DoesNotContain("Not reported", local.Out);
    }

    [Fact]
    public void An_unreachable_uri_is_libvirts_error_naming_it_and_exit_3()
    {
        var run = CliRun.Of("host", "--connect", "qemu+tcp://127.0.0.1:1/system", "--json");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("vfiokit: qemu+tcp://127.0.0.1:1/system: cannot connect: ", run.Error);
        Assert.Contains("Connection refused", run.Error);
    }

    [Fact]
    public void Root_and_connect_together_are_bad_input()
    {
        var run = CliRun.Of("host", "--connect", "test:///default", "--root", "/");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--connect", run.Error);
    }
}

/// <summary>
/// `host --connect qemu:///system` against the real libvirtd the suite starts, beside `host` reading this machine's
/// sysfs: libvirt's node device driver and capabilities read the same host, so the facts both give must agree.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public sealed class HostConnectOnLibvirtdTests(LibvirtdFixture libvirtd)
{
    [Fact]
    public void Libvirt_and_sysfs_show_the_same_functions_groups_nodes_drivers_and_cpus()
    {
        libvirtd.EnsureRunning();
        var local = CliRun.Of("host", "--json");
        var remote = CliRun.Of("host", "--connect", LibvirtdFixture.Uri, "--json");
        Assert.True(remote.ExitCode is 0 or 1, remote.Error);
        var l = JsonDocument.Parse(local.Out).RootElement;
        var r = JsonDocument.Parse(remote.Out).RootElement;
        Assert.Empty(l.GetProperty("absent").EnumerateArray());

        static string[] Devices(JsonElement host) => [.. host.GetProperty("pciDevices").EnumerateArray().Select(d => string.Join(' ',
            d.GetProperty("address").GetString(), d.GetProperty("vendorId").GetString(), d.GetProperty("deviceId").GetString(),
            d.GetProperty("classCode").GetString(), d.GetProperty("driver").ToString(), d.GetProperty("iommuGroup").ToString(),
            d.GetProperty("numaNode").ToString(), d.GetProperty("isBridge").ToString()))];
        var devices = Devices(l);
        Assert.NotEmpty(devices);
        Assert.Equal(devices, Devices(r));
        Assert.Equal(l.GetProperty("iommuGroups").ToString(), r.GetProperty("iommuGroups").ToString());
        Assert.Equal(l.GetProperty("gpus").GetArrayLength(), r.GetProperty("gpus").GetArrayLength());

        var lc = l.GetProperty("cpu");
        var rc = r.GetProperty("cpu");
        foreach (var fact in new[] { "vendor", "online", "count", "packages", "smtSiblings" })
            Assert.True(lc.GetProperty(fact).ToString() == rc.GetProperty(fact).ToString(), $"cpu.{fact}: sysfs {lc.GetProperty(fact)} libvirt {rc.GetProperty(fact)}");
        static string[] Nodes(JsonElement cpu) => [.. cpu.GetProperty("numaNodes").EnumerateArray().Select(n =>
            $"{n.GetProperty("id")} {n.GetProperty("cpus")} {n.GetProperty("memTotalKb")} " +
            string.Join(",", n.GetProperty("hugepages").EnumerateArray().Select(h => $"{h.GetProperty("sizeKb")}:{h.GetProperty("total")}")))];
        Assert.Equal(Nodes(lc), Nodes(rc));
        // libvirt lists L3 banks only where sysfs has the caches: the same domains or both none.
        Assert.Equal(lc.GetProperty("l3Domains").ToString(), rc.GetProperty("l3Domains").ToString());
    }
}
