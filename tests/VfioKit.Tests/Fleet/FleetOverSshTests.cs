using System.Text.Json;
using VfioKit.Tests.Cli;
using VfioKit.Tests.Lab;
using Xunit.Abstractions;

namespace VfioKit.Tests.Fleet;

/// <summary>
/// `fleet lint` over a real remote connection: the suite's libvirtd reached as qemu+ssh://root@localhost:PORT/system
/// through a second sshd of the tests' own (<see cref="LoopbackSshd"/>), beside the local qemu:///system and a host
/// that cannot be reached on purpose. The domain is a type='qemu' copy of the GPU-on-pcie.0 example, defined by
/// the test and undefined after it.
/// </summary>
[Collection(LibvirtdCollection.Name)]
public sealed class FleetOverSshTests : IClassFixture<LoopbackSshd>, IDisposable
{
    private const string Local = LibvirtdFixture.Uri;
    private const string Unreachable = "qemu+tcp://127.0.0.1:1/system";
    private readonly string _name = "vfiokit-h14s-" + Guid.NewGuid().ToString("N")[..8];
    private readonly LoopbackSshd _sshd;
    private readonly TempDirectory _dir = new("vfiokit-fleetssh-");

    public FleetOverSshTests(LibvirtdFixture libvirtd, LoopbackSshd sshd, ITestOutputHelper output)
    {
        _sshd = sshd;
        libvirtd.EnsureRunning();
        var xml = DomainForVirtType.Adapt(File.ReadAllText(TestPaths.DataFile("libvirt", "passthrough", "gpu-on-pcie0.xml")), VirtTypes.Qemu).Xml
            .Replace("<name>gpu-on-root-bus</name>", $"<name>{_name}</name>", StringComparison.Ordinal);
        var file = _dir.File("domain.xml");
        File.WriteAllText(file, xml);
        var define = LibvirtdFixture.Run("virsh", "-c", Local, "define", file);
        Assert.True(define.Exit == 0, define.Err);
        output.WriteLine($"defined {_name} on {Local}; sshd: {sshd.Unavailable ?? $"127.0.0.1:{sshd.Port}"}");
    }

    public void Dispose()
    {
        LibvirtdFixture.Run("virsh", "-c", Local, "undefine", "--nvram", _name);
        _dir.Dispose();
    }

    [SkippableFact]
    public void Fleet_lints_the_remote_and_the_local_host_and_reports_the_unreachable_one()
    {
        Skip.If(_sshd.Unavailable is not null, _sshd.Unavailable);
        var remote = _sshd.Uri();
        var run = CliRun.Of("fleet", "lint", "--connect", remote, "--connect", Local, "--connect", Unreachable, "--format", "json");
        // Exit 3: a host could not be reached, after the others were linted and reported (docs/fleet.md).
        Assert.True(run.ExitCode == 3, run.Error);
        using var doc = JsonDocument.Parse(run.Out);
        var hosts = doc.RootElement.GetProperty("hosts").EnumerateArray().ToList();
        Assert.Equal([remote, Local, Unreachable], hosts.Select(h => h.GetProperty("uri").GetString()));

        // Both reachable hosts are the same libvirtd: the test's domain is read over ssh and locally, with the same findings.
        string[] Rules(JsonElement host)
        {
            Assert.True(host.GetProperty("reached").GetBoolean(), host.GetProperty("error").ToString());
            var domain = host.GetProperty("domains").EnumerateArray().Single(d => d.GetProperty("name").GetString() == _name);
            return domain.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("rule").GetString()}:{f.GetProperty("line").GetInt32()}").ToArray();
        }
        var overSsh = Rules(hosts[0]);
        Assert.Contains(overSsh, r => r.StartsWith("VK102:", StringComparison.Ordinal));
        Assert.Equal(Rules(hosts[1]), overSsh);

        Assert.False(hosts[2].GetProperty("reached").GetBoolean());
        Assert.StartsWith($"{Unreachable}: cannot connect: ", hosts[2].GetProperty("error").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("totals").GetProperty("unreachable").GetInt32());
        Assert.Contains(doc.RootElement.GetProperty("summary").EnumerateArray(),
            r => r.GetProperty("host").GetString() == remote && r.GetProperty("rule").GetString() == "VK102");

        // Progress on stderr names every host as it finishes.
        Assert.Contains($"fleet: {Unreachable}: unreachable", run.Error);
        Assert.Contains($"fleet: {remote}: ", run.Error);
    }

    [SkippableFact]
    public void The_text_report_names_the_domain_on_the_remote_host_and_lint_over_ssh_reads_it_too()
    {
        Skip.If(_sshd.Unavailable is not null, _sshd.Unavailable);
        var remote = _sshd.Uri();
        var fleet = CliRun.Of("fleet", "lint", "--connect", remote, "--connect", Unreachable);
        Assert.True(fleet.ExitCode == 3, fleet.Error);
        Assert.Contains($"{remote} {_name} (", fleet.Out);
        Assert.Contains($"{Unreachable}: unreachable: {Unreachable}: cannot connect: ", fleet.Out);
        Assert.Contains("2 hosts (1 unreachable)", fleet.Out);

        var lint = CliRun.Of("lint", _name, "--connect", remote);
        Assert.True(lint.ExitCode == 1, lint.Error);
        Assert.Contains($"{remote}/{_name}:", lint.Out);
        Assert.Contains("warning VK102: hostdev0 (0000:0b:00.0) is on the root bus pcie.0", lint.Out);

        // fleet fix's dry run reads over the same read-only ssh connection and changes nothing.
        var before = LibvirtdFixture.Run("virsh", "-c", Local, "dumpxml", "--inactive", _name).Out;
        var dryRun = CliRun.Of("fleet", "fix", "--connect", remote);
        Assert.True(dryRun.ExitCode == 0, dryRun.Error);
        Assert.Contains($"{remote} {_name}: would fix ", dryRun.Out);
        Assert.Equal(before, LibvirtdFixture.Run("virsh", "-c", Local, "dumpxml", "--inactive", _name).Out);
    }
}
