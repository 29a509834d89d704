using System.Xml.Linq;

namespace VfioKit.Tests.Lab;

/// <summary>The tests' one adaptation of a domain for a machine without KVM changes only what libvirt refuses under TCG.</summary>
public sealed class DomainForVirtTypeTests
{
    private const string Domain = """
        <domain type='kvm'>
          <name>vm</name>
          <cpu mode='host-passthrough' check='none' migratable='on'>
            <topology sockets='1' dies='1' cores='4' threads='2'/>
            <cache mode='passthrough'/>
            <feature policy='require' name='topoext'/>
          </cpu>
          <devices><hostdev mode='subsystem' type='pci' managed='yes'/></devices>
        </domain>
        """;

    [Fact]
    public void The_qemu_copy_runs_under_tcg_and_keeps_cpu_topology_cache_features_and_devices()
    {
        var adapted = DomainForVirtType.Adapt(Domain, VirtTypes.Qemu);
        var root = XDocument.Parse(adapted.Xml).Root!;
        Assert.Equal("qemu", (string?)root.Attribute("type"));
        var cpu = root.Element("cpu")!;
        Assert.Equal("maximum", (string?)cpu.Attribute("mode"));
        Assert.Null(cpu.Attribute("check"));
        Assert.Equal("4", (string?)cpu.Element("topology")!.Attribute("cores"));
        Assert.Equal("passthrough", (string?)cpu.Element("cache")!.Attribute("mode"));
        Assert.Equal("topoext", (string?)cpu.Element("feature")!.Attribute("name"));
        Assert.Single(root.Descendants("hostdev"));
        Assert.Equal(["<domain type='kvm'> -> type='qemu'", "<cpu mode='host-passthrough'> -> mode='maximum'"], adapted.Changes);
    }

    [Fact]
    public void The_kvm_path_checks_the_domain_as_written()
    {
        var adapted = DomainForVirtType.Adapt(Domain, VirtTypes.Kvm);
        Assert.Same(Domain, adapted.Xml);
        Assert.Empty(adapted.Changes);
    }

    [Fact]
    public void A_custom_cpu_model_is_left_alone()
    {
        var adapted = DomainForVirtType.Adapt("<domain type='kvm'><cpu mode='custom'><model>qemu64</model></cpu></domain>", VirtTypes.Qemu);
        Assert.Equal("custom", (string?)XDocument.Parse(adapted.Xml).Root!.Element("cpu")!.Attribute("mode"));
        Assert.Equal(["<domain type='kvm'> -> type='qemu'"], adapted.Changes);
    }

    [Fact]
    public void Every_libvirtd_test_takes_both_paths()
    {
        var rows = VirtTypes.Cross([["a"], ["b"]]).ToList();
        Assert.Equal([["a", "qemu"], ["a", "kvm"], ["b", "qemu"], ["b", "kvm"]], rows);
    }
}
