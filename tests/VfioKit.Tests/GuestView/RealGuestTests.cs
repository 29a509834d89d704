using System.Globalization;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Pci;
using VfioKit.Vm;
using VfioKit.Behaviour.Qemu;

namespace VfioKit.Tests.GuestView;

/// <summary>
/// The prediction for each lab case's qemu.args must equal what the real guest enumerated (lspci -xxxx of
/// a TCG guest under QEMU 7.2 / Linux 6.1, made by scripts/lab): every device at the same guest address,
/// with the same PCIe type and the same port link capability and status, and nothing predicted that the
/// guest did not show.
/// </summary>
public class RealGuestTests
{
    /// <summary>The QEMU that made the lab's dumps (Debian 12's qemu-system-x86 7.2).</summary>
    private static readonly MachineVersion LabQemu = new(7, 2);

    public static TheoryData<string> Cases()
    {
        // The lab's cases (guests/<case>/qemu.args) and guest-view's own (qemu/guests/<case>/case.args).
        var data = new TheoryData<string>();
        foreach (var root in new[] { "guests", "qemu/guests" })
            foreach (var dir in Directory.GetDirectories(TestPaths.DataFile(root)).Order(StringComparer.Ordinal))
                if (File.Exists(Path.Combine(dir, "lspci.txt")))
                    data.Add(root + "/" + Path.GetFileName(dir));
        return data;
    }

    [Fact]
    public void The_lab_has_guest_cases()
    {
        Assert.True(Cases().Count >= 12, "tests/VfioKit.Tests/Data/guests should hold the lab's real-guest dumps");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Prediction_equals_the_real_guest(string name)
    {
        var dir = TestPaths.DataFile(name);
        var args = File.Exists(Path.Combine(dir, "qemu.args")) ? Path.Combine(dir, "qemu.args") : Path.Combine(dir, "case.args");
        var view = GuestViewPredictor.Predict(QemuCommandLine.Load(args), LabQemu);
        var guest = LspciDump.Load(Path.Combine(dir, "lspci.txt")).Entries.ToDictionary(e => e.Address);
        var ids = ReadIds(Path.Combine(dir, "devices.tsv"));

        // QEMU started every one of these guests: no errors (warnings about what the guest misses are fine).
        Assert.DoesNotContain(view.Problems, p => p.Severity == ProblemSeverity.Error);
        var predicted = view.Devices.Where(d => d.GuestAddress is not null).ToDictionary(d => d.GuestAddress!.Value);
        Assert.Equal(guest.Keys.Order().Select(a => a.ToString()), predicted.Keys.Order().Select(a => a.ToString()));

        foreach (var (address, entry) in guest)
        {
            var p = predicted[address];
            if (ids.TryGetValue(address, out var id)) Assert.Equal(id, p.Device.Id);
            var express = entry.Config.Express;
            Assert.True(Agrees(p.Sees, express?.DeviceType),
                $"{name} {address} {p.Name}: predicted {p.Sees}, the guest saw {express?.DeviceType.ToString() ?? "no PCIe capability"}");
            if (p.Link is { } link && p.Sees != GuestDeviceKind.RootComplexIntegratedEndpoint)
                Assert.Equal(link, express!.LinkCapability);
            if (p.PortLink is { } portLink)
            {
                var port = guest[Parent(view, p)];
                Assert.Equal(portLink, port.Config.Express!.LinkCapability);
                if (p.PortLinkStatus is { } status) Assert.Equal(status, port.Config.Express.LinkStatus);
            }
            Assert.Equal(entry.Config.HasExtendedSpace, p.ExtendedConfigSpace);
        }
    }

    private static PciAddress Parent(GuestViewResult view, GuestDevice device)
    {
        var portId = device.Path[^2];
        return view.Find(portId)!.GuestAddress!.Value;
    }

    private static bool Agrees(GuestDeviceKind sees, PcieDeviceType? type) => sees switch
    {
        GuestDeviceKind.Endpoint => type == PcieDeviceType.Endpoint,
        GuestDeviceKind.RootComplexIntegratedEndpoint => type == PcieDeviceType.RootComplexIntegratedEndpoint,
        GuestDeviceKind.LegacyEndpoint => type == PcieDeviceType.LegacyEndpoint,
        GuestDeviceKind.RootPort => type == PcieDeviceType.RootPort,
        GuestDeviceKind.UpstreamPort => type == PcieDeviceType.UpstreamPort,
        GuestDeviceKind.DownstreamPort => type == PcieDeviceType.DownstreamPort,
        GuestDeviceKind.PcieToPciBridge => type == PcieDeviceType.PcieToPciBridge,
        GuestDeviceKind.ConventionalPci or GuestDeviceKind.PciBridge or GuestDeviceKind.HostBridge => type is null,
        _ => false,
    };

    private static Dictionary<PciAddress, string> ReadIds(string path)
    {
        var ids = new Dictionary<PciAddress, string>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length >= 4 && f[3] != "-") ids[PciAddress.Parse(f[0])] = f[3];
        }
        return ids;
    }
}
