namespace VfioKit.Tests.Libvirt;

/// <summary>
/// A node file for libvirt's test driver (test:///PATH): libvirt reads the domains in it as that "host"'s, so
/// each test gets its own host with GPU domains, and nothing outlives the test. The domains are the repository's
/// GPU-on-pcie.0 example (two hostdev functions on the root bus, VK102) with type='test' and their own names.
/// </summary>
public sealed class TestDriverNode : IDisposable
{
    private readonly TempDirectory _dir = new("vfiokit-testnode-");

    public TestDriverNode(params string[] domainNames)
    {
        var template = File.ReadAllText(TestPaths.DataFile("libvirt", "passthrough", "gpu-on-pcie0.xml"))
            .Replace("<domain type='kvm'>", "<domain type='test'>", StringComparison.Ordinal);
        // Fixed UUIDs: the test driver reads the file again for every connection and would make up new ones.
        var domains = domainNames.Select(n => template.Replace("<name>gpu-on-root-bus</name>", $"<name>{n}</name>\n  <uuid>{Guid.NewGuid()}</uuid>", StringComparison.Ordinal));
        Path = _dir.File("node.xml");
        File.WriteAllText(Path, "<node>\n" + string.Concat(domains) + "</node>\n");
    }

    public string Path { get; }

    public string Uri => "test://" + Path;

    public void Dispose() => _dir.Dispose();
}
