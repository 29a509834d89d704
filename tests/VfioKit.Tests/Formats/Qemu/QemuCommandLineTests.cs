using System.Diagnostics;
using System.Text.RegularExpressions;
using VfioKit.Formats.Qemu;
using VfioKit.GuestView;
using VfioKit.Vm;

namespace VfioKit.Tests.Formats.Qemu;

public partial class QemuCommandLineTests
{
    public static TheoryData<string> DataFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(TestPaths.DataFile("qemu", "libvirt-args"), "*.args").Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(TestPaths.Data, f));
        foreach (var f in Directory.GetFiles(TestPaths.DataFile("guests"), "qemu.args", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(TestPaths.Data, f));
        foreach (var f in new[] { "seed-ioh3420.txt", "seed-rootbus.txt", "seed-libvirt.args", "virt-manager.txt" })
            data.Add(Path.Combine("qemu", f));
        return data;
    }

    [Theory]
    [MemberData(nameof(DataFiles))]
    public void Reading_writing_and_reading_again_gives_the_same_topology(string file)
    {
        // Hosts are written as the script wrote them (host=$NVIDIA.0) without the script's NVIDIA=...: read again,
        // they are what they were minus the address that assignment gave them.
        var t = Unresolved(QemuCommandLine.Load(TestPaths.DataFile(file)));
        Assert.Equal(t, QemuCommandLine.FromArgv(QemuCommandLine.ToArgv(t)));
        Assert.Equal(t, QemuCommandLine.Parse(QemuCommandLine.ToScript(t), "written.sh"));
    }

    /// <summary>
    /// libvirt's own test argv (libvirt's qemuxml2argv suite, JSON -device) and the lab's command lines
    /// (key=value -device): every -device given a bus is read on exactly that bus, and every one given an
    /// address at exactly that address. Every file names at least one bus, so no case passes on nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(DataFiles))]
    public void Every_bus_and_addr_libvirt_wrote_is_read_as_written(string file)
    {
        var text = File.ReadAllText(TestPaths.DataFile(file));
        var t = QemuCommandLine.Load(TestPaths.DataFile(file));
        var json = JsonDeviceAddress().Matches(text).Select(m => (m.Groups["bus"].Value, GuestAddress.Parse(m.Groups["addr"].Value))).ToList();
        foreach (var (bus, addr) in json)
            Assert.Contains(t.Devices, d => d.Placement is { Origin: AddressOrigin.Explicit } p && p.Bus == bus && p.Address == addr);
        var keyValue = KeyValueDevice().Matches(text).Select(m => m.Groups["opts"].Value.Split(','))
            .Select(parts => (Driver: parts[0], Options: parts.Skip(1).Select(o => o.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1])))
            .Where(d => d.Options.ContainsKey("bus"))
            .ToList();
        foreach (var (driver, o) in keyValue)
        {
            var bus = o["bus"];
            var id = o.GetValueOrDefault("id");
            var addr = o.TryGetValue("addr", out var a) ? GuestAddress.Parse(a) : (GuestAddress?)null;
            Assert.True(t.Devices.Any(d => d.Driver == driver && (id is null || d.Id == id) && d.Bus == bus && d.Placement?.Bus == bus
                    && (addr is null || d.Placement == new DevicePlacement(bus, addr.Value, AddressOrigin.Explicit))),
                $"{file}: -device {driver},id={id},bus={bus},addr={addr} is not read as written");
        }
        Assert.True(json.Count + keyValue.Count > 0, $"{file} gives no device a bus: this case would check nothing");
    }

    [Fact]
    public void A_written_script_passes_shellcheck()
    {
        var t = QemuCommandLine.Load(TestPaths.DataFile("qemu", "seed-libvirt.args"));
        var path = Path.Combine(Path.GetTempPath(), $"vfiokit-topo-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, QemuCommandLine.ToScript(t));
        try
        {
            var psi = new ProcessStartInfo("shellcheck") { RedirectStandardOutput = true };
            psi.ArgumentList.Add(path);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("shellcheck is missing: run scripts/install-deps.sh");
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Launch_script_with_symbolic_hosts_keeps_them_symbolic_when_written()
    {
        var t = QemuCommandLine.Load(TestPaths.DataFile("qemu", "seed-ioh3420.txt"));
        var script = QemuCommandLine.ToScript(t);
        Assert.Contains("\"vfio-pci,bus=root_port1,addr=0x0,multifunction=on,host=$NVIDIA.0,x-vga=on\"", script);
        Assert.Equal(["-machine", "q35", "-device", "ioh3420,id=root_port1,bus=pcie.0,chassis=0,slot=0"],
            QemuCommandLine.ToArgv(t).Take(4));
    }

    private static VmTopology Unresolved(VmTopology t) => t with
    {
        RunTime = ValueList<RunTimeValue>.Empty,
        Devices = new ValueList<VmDevice>(t.Devices.Select(d => d.Passthrough is { Host.IsSymbolic: true } pt
            ? d with { Passthrough = pt with { Host = pt.Host.IsSysfsPath ? HostSource.FromSysfs(pt.Host.Text) : HostSource.FromHost(pt.Host.Text) } } : d)),
    };

    [GeneratedRegex("\"bus\":\"(?<bus>[^\"]+)\"[^}]*\"addr\":\"(?<addr>[^\"]+)\"")]
    private static partial Regex JsonDeviceAddress();

    /// <summary>A key=value -device (not JSON): its options up to the next blank or quote.</summary>
    [GeneratedRegex("(?<=^|\\s)-device\\s+'?(?<opts>[a-z0-9][^\\s']*)", RegexOptions.Multiline)]
    private static partial Regex KeyValueDevice();
}
