using VfioKit.Libvirt;
using VfioKit.Tests.Libvirt;

namespace VfioKit.Tests.Fleet;

/// <summary>
/// LibvirtConnection.EachDomainXml, the read `fleet lint` does (one listing, the XML read on the listed handles by
/// several threads over one connection), against the one-domain-at-a-time reads through libvirt's test driver:
/// the same domains in the same order, the same running state, the same XML.
/// </summary>
public class EachDomainXmlTests
{
    [Fact]
    public void Many_threads_over_one_connection_read_what_one_lookup_at_a_time_reads()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"gpu-{i:00}").Reverse().ToArray();
        using var node = new TestDriverNode(names);
        using var c = LibvirtConnection.Open(node.Uri, readOnly: true);
        var oneByOne = c.Domains().Select(d => (d, c.DomainXml(d.Uuid, inactive: true))).ToList();

        var threads = new HashSet<int>();
        var parallel = c.EachDomainXml(inactive: true, parallel: 6, (d, xml) =>
        {
            lock (threads) threads.Add(Environment.CurrentManagedThreadId);
            Thread.Sleep(2); // as a lint takes a while: the test driver answers in microseconds, before other threads start
            return (d, xml);
        }, (d, e) => throw new InvalidOperationException($"{d.Name} vanished: {e.Describe()}"));

        Assert.Equal(40, parallel.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), parallel.Select(p => p.d.Name));
        Assert.Equal(oneByOne, parallel);
        Assert.True(threads.Count > 1, "the reads ran on one thread");
    }

    [Fact]
    public void A_running_domain_is_listed_as_running_from_its_handle_and_its_live_xml_has_its_id()
    {
        using var c = LibvirtConnection.Open("test:///default", readOnly: true);
        var listed = Assert.Single(c.EachDomainXml(inactive: false, parallel: 4, (d, xml) => (d, xml), (d, _) => (d, xml: "")));
        Assert.Equal(c.Domain("test"), listed.d);
        Assert.True(listed.d.Active);
        Assert.Contains("<domain type='test' id='1'>", listed.xml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_defined_domain_that_does_not_run_is_listed_as_not_running()
    {
        // The test driver starts the domains of a node file unless its own namespace says shut off (runstate 5).
        using var dir = new TempDirectory("vfiokit-testnode-");
        var domain = File.ReadAllText(TestPaths.DataFile("libvirt", "passthrough", "gpu-on-pcie0.xml"))
            .Replace("<domain type='kvm'>", "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>", StringComparison.Ordinal)
            .Replace("</domain>", "  <test:runstate>5</test:runstate>\n</domain>", StringComparison.Ordinal);
        var node = dir.File("node.xml");
        File.WriteAllText(node, "<node>\n" + domain + "</node>\n");
        using var c = LibvirtConnection.Open("test://" + node, readOnly: true);
        var listed = Assert.Single(c.EachDomainXml(inactive: true, parallel: 2, (d, _) => d, (d, _) => d));
        Assert.Equal("gpu-on-root-bus", listed.Name);
        Assert.False(listed.Active);
        Assert.Equal(c.Domain(listed.Uuid), listed);
    }

    [Fact]
    public void A_failure_on_a_worker_reaches_the_caller_as_it_was_thrown_and_stops_the_others()
    {
        var done = 0;
        var e = Assert.Throws<LibvirtException>(() => DomainWorkers.Run(1000, 4, i =>
        {
            if (i == 10) throw new LibvirtException("qemu:///system: cannot read the XML: connection reset", "qemu:///system", 38);
            Interlocked.Increment(ref done);
            Thread.Sleep(1);
        }));
        Assert.StartsWith("qemu:///system: cannot read the XML", e.Message, StringComparison.Ordinal);
        Assert.True(Volatile.Read(ref done) < 999, $"{done} items were still worked on after the failure");
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 8)]
    [InlineData(7, 3)]
    [InlineData(100, 1)]
    public void Every_item_is_worked_on_once(int count, int parallel)
    {
        var seen = new int[count];
        DomainWorkers.Run(count, parallel, i => Interlocked.Increment(ref seen[i]));
        Assert.All(seen, n => Assert.Equal(1, n));
    }
}
