using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Host.Cpu;

namespace VfioKit.Tests.Planning;

public sealed class PlanCommandTests
{
    private static readonly string Epyc = TopologyData.Root(TopologyData.Epyc7451);

    [Fact]
    public void Json_has_the_documented_fields()
    {
        var run = CliRun.Of("plan", "--vcpus", "8", "--root", Epyc, "--memory", "16G", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var r = doc.RootElement;
        var vcpus = r.GetProperty("vcpus").EnumerateArray().ToArray();
        Assert.Equal(8, vcpus.Length);
        Assert.Equal(Enumerable.Range(0, 8), vcpus.Select(v => v.GetProperty("vcpu").GetInt32()));
        Assert.All(vcpus, v => Assert.Equal(JsonValueKind.Number, v.GetProperty("hostCpu").ValueKind));
        Assert.Equal(JsonValueKind.Array, r.GetProperty("emulatorCpus").ValueKind);
        Assert.Equal([0], r.GetProperty("memoryNodes").EnumerateArray().Select(n => n.GetInt32()));
        var g = r.GetProperty("guestTopology");
        Assert.Equal(8, g.GetProperty("sockets").GetInt32() * g.GetProperty("dies").GetInt32() * g.GetProperty("cores").GetInt32() * g.GetProperty("threads").GetInt32());
        var score = r.GetProperty("score");
        foreach (var name in (string[])["splitSmtPairs", "vcpusOffNode", "l3DomainsSpanned", "l3DomainsMinimum", "memoryNodesOffNode", "hostCpusLeft", "ideal"])
            Assert.True(score.TryGetProperty(name, out _), name);
        Assert.Equal(8192, r.GetProperty("memory").GetProperty("hugepages")[0].GetProperty("needed").GetInt64());
        Assert.Contains("-smp", r.GetProperty("qemuArgs").EnumerateArray().Select(a => a.GetString()));
        Assert.StartsWith("<memoryBacking>", r.GetProperty("libvirtXml").GetString());
    }

    [Fact]
    public void Libvirt_fragment_makes_a_domain_libvirts_schema_accepts()
    {
        var run = CliRun.Of("plan", "--vcpus", "8", "--root", Epyc, "--memory", "16G", "--json");
        using var doc = JsonDocument.Parse(run.Out);
        var fragment = XElement.Parse("<f>" + doc.RootElement.GetProperty("libvirtXml").GetString() + "</f>");
        var domain = new XElement("domain", new XAttribute("type", "kvm"),
            new XElement("name", "plan-test"),
            new XElement("memory", new XAttribute("unit", "GiB"), 16),
            new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "q35"), "hvm")),
            fragment.Elements());
        var cpu = domain.Element("cpu")!;
        Assert.Equal("topoext", cpu.Element("feature")!.Attribute("name")!.Value);
        Assert.Equal("2", cpu.Element("topology")!.Attribute("threads")!.Value);
        Assert.Equal(8, domain.Element("cputune")!.Elements("vcpupin").Count());

        var file = Path.Combine(Path.GetTempPath(), $"vk-plan-{Guid.NewGuid():N}.xml");
        File.WriteAllText(file, domain.ToString());
        try
        {
            var psi = new ProcessStartInfo("virt-xml-validate") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(file);
            psi.ArgumentList.Add("domain");
            Process p;
            try { p = Process.Start(psi)!; }
            catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("virt-xml-validate (libvirt-clients) is needed by this test", e); }
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, output + "\n" + domain);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Text_output_shows_the_table_score_and_both_fragments()
    {
        var run = CliRun.Of("plan", "--vcpus", "4", "--root", Epyc);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Score: ideal", run.Out);
        Assert.Contains("<vcpupin vcpu=\"0\"", run.Out);
        Assert.Contains("-smp 4,sockets=1,dies=1,cores=2,threads=2", run.Out);
    }

    [Theory]
    [InlineData("--vcpus", "0", "--vcpus")]
    [InlineData("--memory", "12Q", "--memory")]
    [InlineData("--gpu", "zz:1", "--gpu")]
    [InlineData("--gpu", "0000:41:00", "--gpu: no PCI device 0000:41:00.0")]
    [InlineData("--reserve", "a-b", "--reserve")]
    [InlineData("--reserve", "200", "--reserve")]
    [InlineData("--hugepages", "3M", "--hugepages")]
    public void Bad_options_are_clear_errors(string option, string value, string message)
    {
        string[] args = option == "--vcpus" ? ["plan", "--root", Epyc, option, value] : ["plan", "--vcpus", "2", "--root", Epyc, option, value];
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public void Runs_on_this_machines_real_sys()
    {
        var run = CliRun.Of("plan", "--vcpus", "1", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.Single(doc.RootElement.GetProperty("vcpus").EnumerateArray());
    }
}

public sealed class PlanForGpuTests
{
    private static readonly string Numa2 = TopologyData.Root(TopologyData.LabNuma2);

    [Fact]
    public void Gpu_slot_of_a_real_guest_snapshot_puts_vcpus_and_memory_on_its_node()
    {
        // The lab guest's GPU-like slot sits behind a pxb-pcie with numa_node=1 (nodes: 0 = CPUs 0-1, 1 = CPUs 2-3).
        var run = CliRun.Of("plan", "--vcpus", "2", "--gpu", "0000:81:00", "--reserve", "0", "--memory", "256M", "--root", Numa2, "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var r = doc.RootElement;
        Assert.Equal(1, r.GetProperty("node").GetInt32());
        Assert.Equal([1], r.GetProperty("gpuNodes").EnumerateArray().Select(n => n.GetInt32()));
        Assert.Equal([2, 3], r.GetProperty("vcpus").EnumerateArray().Select(v => v.GetProperty("hostCpu").GetInt32()));
        Assert.Equal([0], r.GetProperty("emulatorCpus").EnumerateArray().Select(n => n.GetInt32()));
        Assert.Equal([1], r.GetProperty("memoryNodes").EnumerateArray().Select(n => n.GetInt32()));
        Assert.True(r.GetProperty("score").GetProperty("ideal").GetBoolean());
        Assert.Contains("host-nodes=1,policy=bind", string.Join(" ", r.GetProperty("qemuArgs").EnumerateArray().Select(a => a.GetString())));
    }

    [Fact]
    public void When_the_gpus_node_is_too_small_the_plan_spills_and_says_why()
    {
        // Node 1 has two cores; keeping its first for the host leaves one for two vCPUs.
        var run = CliRun.Of("plan", "--vcpus", "2", "--gpu", "0000:81:00.0", "--root", Numa2, "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var r = doc.RootElement;
        Assert.False(r.GetProperty("score").GetProperty("ideal").GetBoolean());
        Assert.Equal(1, r.GetProperty("score").GetProperty("vcpusOffNode").GetInt32());
        Assert.Contains(r.GetProperty("reasons").EnumerateArray(), x => x.GetString()!.Contains("usable core", StringComparison.Ordinal));
    }
}
