using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace VfioKit.Tests.Lab;

/// <summary>The lab's committed data (scripts/lab/make-all.sh) is complete and agrees with itself and with
/// independent readers: pciutils' lspci decodes every dump to the devices the guest kernel listed, QEMU's
/// monitor saw the same addresses as the guest, and every host snapshot is a self-contained sysfs tree.</summary>
public class LabDataTests
{
    private static readonly string Guests = TestPaths.DataFile("guests");
    private static readonly string Hosts = TestPaths.DataFile("hosts");

    /// <summary>The cases the other engineers' tests name; make-all.sh may add more.</summary>
    public static readonly TheoryData<string> NamedCases = new()
    {
        "seed-ioh3420", "seed-rootbus", "rootport-generic", "rootport-xspeed", "virt-manager-default",
        "libvirt-ioh3420-index8", "machine-old", "machine-i440fx", "switch", "bridges", "pxb", "emulated-mix",
        "machine-q35-4.0", "machine-i440fx-root-port", "odd-slots", "odd-nesting", "rootport-speeds", "ext-caps",
    };

    public static TheoryData<string> AllCases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Guests).Order(StringComparer.Ordinal))
            if (Path.GetFileName(dir) != "rejected") data.Add(Path.GetFileName(dir));
        return data;
    }

    public static readonly TheoryData<string> NamedHosts = new() { "q35-gpu-iommu", "numa2-pxb", "q35-no-iommu", "smp8-dies", "q35-switch-groups" };

    [Theory]
    [MemberData(nameof(NamedCases))]
    public void Every_named_case_has_its_files(string name)
    {
        var dir = Path.Combine(Guests, name);
        Assert.True(Directory.Exists(dir), $"guest case {name} is missing: run scripts/lab/make-all.sh");
        foreach (var file in new[] { "qemu.args", "lspci.txt", "lspci-vv.txt", "sysfs.tsv", "devices.tsv", "qemu-info-pci.txt" })
        {
            var path = Path.Combine(dir, file);
            Assert.True(File.Exists(path), $"{name}/{file} is missing");
            Assert.True(new FileInfo(path).Length > 0, $"{name}/{file} is empty");
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Lspci_decodes_the_dump_to_the_devices_and_ids_the_guest_listed(string name)
    {
        var dir = Path.Combine(Guests, name);
        var sysfs = ReadTsv(Path.Combine(dir, "sysfs.tsv"));
        // -n -mm: one machine-readable line per device, numeric ids: "00:03.0" "0604" "1b36" "000c" ...
        var lines = Lspci("-F", Path.Combine(dir, "lspci.txt"), "-n", "-mm")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var decoded = lines.Select(ParseMachineLine).ToList();

        Assert.Equal(sysfs.Select(r => ShortAddress(r["address"])), decoded.Select(d => d.Address));
        foreach (var (row, dev) in sysfs.Zip(decoded))
        {
            Assert.Equal(row["vendor"], "0x" + dev.Vendor);
            Assert.Equal(row["device"], "0x" + dev.Device);
            Assert.StartsWith("0x" + dev.Class, row["class"], StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Each_config_space_is_256_or_4096_bytes_and_4096_only_with_extended_config(string name)
    {
        var dir = Path.Combine(Guests, name);
        var q35 = !File.ReadAllLines(Path.Combine(dir, "qemu.args")).Any(a => a is "pc" || a.StartsWith("pc-i440fx", StringComparison.Ordinal));
        foreach (var (address, size) in DumpSizes(Path.Combine(dir, "lspci.txt")))
        {
            Assert.True(size is 256 or 4096, $"{name} {address}: {size} bytes");
            if (!q35) Assert.True(size == 256, $"{name} {address}: i440fx has no extended config space, got {size} bytes");
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void The_kernels_link_attributes_agree_with_lspcis_LnkCap_and_LnkSta(string name)
    {
        var dir = Path.Combine(Guests, name);
        var links = LinksFromLspci(Lspci("-F", Path.Combine(dir, "lspci.txt"), "-vv"));
        var compared = 0;
        foreach (var row in ReadTsv(Path.Combine(dir, "sysfs.tsv")))
        {
            var address = ShortAddress(row["address"]);
            if (!links.TryGetValue(address, out var link))
            {
                // No LnkCap (conventional PCI, or an integrated endpoint): the kernel reports no usable link.
                Assert.True(row["max_link_speed"] is "-" or "Unknown", $"{name} {address}: sysfs says {row["max_link_speed"]} but lspci shows no LnkCap");
                continue;
            }
            Assert.Equal(link.CapSpeed, SysfsSpeed(row["max_link_speed"]));
            Assert.Equal(link.CapWidth, int.Parse(row["max_link_width"], CultureInfo.InvariantCulture));
            Assert.Equal(link.StaSpeed, SysfsSpeed(row["current_link_speed"]));
            Assert.Equal(link.StaWidth, int.Parse(row["current_link_width"], CultureInfo.InvariantCulture));
            compared++;
        }
        if (name != "machine-i440fx" && name != "seed-rootbus") Assert.True(compared > 0, $"{name}: no device with a link was compared");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Qemu_placed_every_device_where_the_guest_found_it(string name)
    {
        var dir = Path.Combine(Guests, name);
        var guest = ReadTsv(Path.Combine(dir, "sysfs.tsv")).Select(r => (r["address"], r["vendor"], r["device"])).ToList();
        var qemu = ReadTsv(Path.Combine(dir, "devices.tsv")).ToList();
        Assert.Equal(guest, qemu.Where(r => r["guest"] == "yes").Select(r => (r["address"], r["vendor"], r["device"])));
        // Only odd-slots holds devices QEMU accepted but the guest never enumerated (slot 1 behind a port,
        // a second device behind one port, a function 1 without function 0).
        var hidden = qemu.Where(r => r["guest"] == "no").Select(r => r["id"]).Order(StringComparer.Ordinal).ToList();
        if (name == "odd-slots") Assert.Equal(["auto_b", "lone_fn1", "slot1"], hidden);
        else Assert.Empty(hidden);

        // Every -device with an id in the case's arguments shows up in QEMU's own list under that id.
        var ids = qemu.Select(r => r["id"]).ToHashSet(StringComparer.Ordinal);
        foreach (var id in DeviceIds(File.ReadAllLines(Path.Combine(dir, "qemu.args"))))
            Assert.True(ids.Contains(id), $"{name}: -device id={id} is not in devices.tsv");
    }

    [Fact]
    public void The_libvirt_cases_keep_the_domain_and_libvirts_own_argv()
    {
        foreach (var name in new[] { "libvirt-ioh3420-index8", "virt-manager-default" })
        {
            var dir = Path.Combine(Guests, name);
            Assert.True(File.Exists(Path.Combine(dir, "domain.xml")), $"{name}/domain.xml is missing");
            var libvirt = File.ReadAllLines(Path.Combine(dir, "libvirt.args"));
            var hostdevs = libvirt.Where(a => a.Contains("\"driver\":\"vfio-pci\"", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, hostdevs.Count);
            // The stand-ins sit exactly where libvirt put the hostdevs: same id, bus and addr.
            var booted = File.ReadAllLines(Path.Combine(dir, "qemu.args"));
            foreach (var h in hostdevs)
            {
                var standIn = h.Replace("\"driver\":\"vfio-pci\"", "\"driver\":\"e1000e\"", StringComparison.Ordinal);
                standIn = Regex.Replace(standIn, "\"host\":\"[^\"]*\",", "");
                Assert.Contains(standIn, booted);
            }
        }
    }

    [Fact]
    public void QEMUs_verdicts_on_the_rejected_configurations_are_recorded_with_its_message()
    {
        var dir = Path.Combine(Guests, "rejected");
        var rows = ReadTsv(Path.Combine(dir, "results.tsv"));
        Assert.True(rows.Count >= 10, $"only {rows.Count} configurations in rejected/results.tsv");
        foreach (var row in rows)
        {
            var args = File.ReadAllLines(Path.Combine(dir, row["name"] + ".args"));
            Assert.Contains(row["verdict"], new[] { "accepted", "refused" });
            if (row["verdict"] == "refused")
            {
                // QEMU names the offending option: "qemu-system-x86_64: -device <its argument>: <why>".
                var named = args.Where((a, i) => i > 0 && args[i - 1] == "-device").Any(a => row["message"].Contains("-device " + a + ": ", StringComparison.Ordinal));
                Assert.True(named, $"{row["name"]}: the message does not name one of its -device arguments: {row["message"]}");
            }
            else
            {
                Assert.Equal("-", row["message"]);
                // QEMU's own list then holds every -device of the root bus, by id. (Paused before the firmware
                // ran, every bridge's secondary bus number is still 0, so `info pci` lists bus 0 only.)
                var info = File.ReadAllText(Path.Combine(dir, row["name"] + ".info-pci.txt"));
                var onRootBus = args.Where((a, i) => i > 0 && args[i - 1] == "-device" && (a.Contains("bus=pcie.0", StringComparison.Ordinal) || a.Contains("bus=pci.0", StringComparison.Ordinal))).ToArray();
                foreach (var id in DeviceIds(onRootBus.SelectMany(a => new[] { "-device", a }).ToArray()))
                    Assert.True(info.Contains($"id \"{id}\"", StringComparison.Ordinal), $"{row["name"]}: accepted, but {id} is not in QEMU's info pci");
            }
        }
        var verdicts = rows.ToDictionary(r => r["name"], r => r["verdict"], StringComparer.Ordinal);
        Assert.Equal("refused", verdicts["duplicate-chassis-slot"]);
        Assert.Equal("refused", verdicts["function-without-multifunction"]);
        Assert.Equal("accepted", verdicts["slot-nonzero-under-port"]);
    }

    [Theory]
    [MemberData(nameof(NamedHosts))]
    public void Every_host_snapshot_has_pci_devices_cpu_and_proc_files(string name)
    {
        var root = Path.Combine(Hosts, name);
        Assert.True(Directory.Exists(root), $"host snapshot {name} is missing: run scripts/lab/make-all.sh");
        Assert.True(File.Exists(Path.Combine(Hosts, name + ".qemu.args")), $"{name}.qemu.args is missing");
        var devices = Directory.GetFileSystemEntries(Path.Combine(root, "sys", "bus", "pci", "devices"));
        Assert.True(devices.Length >= 5, $"{name}: only {devices.Length} PCI devices");
        foreach (var link in devices)
        {
            Assert.NotNull(new FileInfo(link).LinkTarget);
            foreach (var attr in new[] { "vendor", "device", "class", "config", "numa_node" })
                Assert.True(File.Exists(Path.Combine(link, attr)), $"{name}: {Path.GetFileName(link)}/{attr} is missing");
            Assert.True(new FileInfo(Path.Combine(link, "config")).Length is 256 or 4096);
        }
        foreach (var file in new[]
                 {
                     "sys/devices/system/cpu/online", "sys/devices/system/cpu/possible", "sys/devices/system/cpu/cpu0/topology/thread_siblings_list",
                     "sys/devices/system/cpu/cpu0/topology/core_id", "sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list",
                     "sys/devices/system/node/online", "sys/devices/system/node/node0/cpulist", "sys/devices/system/node/node0/meminfo",
                     "proc/cmdline", "proc/meminfo", "proc/modules",
                 })
            Assert.True(File.Exists(Path.Combine(root, file)), $"{name}: {file} is missing");
    }

    [Theory]
    [MemberData(nameof(NamedHosts))]
    public void Every_symlink_of_a_host_snapshot_is_relative_and_resolves_inside_it(string name)
    {
        var root = Path.GetFullPath(Path.Combine(Hosts, name));
        var links = 0;
        foreach (var path in EntriesWithoutFollowingLinks(root))
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not { } target) continue;
            links++;
            Assert.False(Path.IsPathRooted(target), $"{name}: {path} -> {target} is absolute");
            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, target));
            Assert.StartsWith(root + Path.DirectorySeparatorChar, resolved, StringComparison.Ordinal);
            Assert.True(Directory.Exists(resolved) || File.Exists(resolved), $"{name}: {path} -> {target} does not resolve");
        }
        Assert.True(links > 5, $"{name}: only {links} symlinks");
    }

    [Theory]
    [MemberData(nameof(NamedHosts))]
    public void A_host_snapshot_has_no_empty_directory_since_git_would_drop_it(string name)
    {
        var root = Path.Combine(Hosts, name);
        foreach (var path in EntriesWithoutFollowingLinks(root))
            if (new FileInfo(path).LinkTarget is null && Directory.Exists(path))
                Assert.True(Directory.EnumerateFileSystemEntries(path).Any(), $"{name}: {Path.GetRelativePath(root, path)} is empty");
    }

    [Fact]
    public void The_hosts_show_what_they_were_made_for()
    {
        // q35-gpu-iommu: SMT pairs, a GPU-like slot (display fn0 + HDA fn1) in one IOMMU group, bound to vfio-pci.
        var gpu = Path.Combine(Hosts, "q35-gpu-iommu", "sys", "bus", "pci", "devices");
        Assert.Equal("0-1", Read(Hosts, "q35-gpu-iommu", "sys/devices/system/cpu/cpu0/topology/thread_siblings_list"));
        Assert.StartsWith("0x0300", File.ReadAllText(Path.Combine(gpu, "0000:01:00.0", "class")), StringComparison.Ordinal);
        Assert.StartsWith("0x0403", File.ReadAllText(Path.Combine(gpu, "0000:01:00.1", "class")), StringComparison.Ordinal);
        Assert.Equal(GroupOf(gpu, "0000:01:00.0"), GroupOf(gpu, "0000:01:00.1"));
        Assert.Equal("vfio-pci", Path.GetFileName(new FileInfo(Path.Combine(gpu, "0000:01:00.0", "driver")).LinkTarget));
        Assert.Contains(File.ReadAllLines(Path.Combine(Hosts, "q35-gpu-iommu", "proc", "modules")), l => l.StartsWith("vfio_pci ", StringComparison.Ordinal));

        // numa2-pxb: two nodes, the GPU behind the pxb-pcie on node 1 reports it.
        Assert.Equal("0-1", Read(Hosts, "numa2-pxb", "sys/devices/system/node/online"));
        var numa = Path.Combine(Hosts, "numa2-pxb", "sys", "bus", "pci", "devices");
        var display = Directory.GetFileSystemEntries(numa).Single(d => File.ReadAllText(Path.Combine(d, "class")).StartsWith("0x0300", StringComparison.Ordinal));
        Assert.Equal("1", File.ReadAllText(Path.Combine(display, "numa_node")).Trim());
        Assert.Equal("2-3", File.ReadAllText(Path.Combine(display, "local_cpulist")).Trim());

        // q35-switch-groups: the GPU behind a switch port shares its group only with that port; the GPU behind the
        // pcie-pci-bridge shares it with the bridge and an e1000e endpoint (not viable).
        var sw = Path.Combine(Hosts, "q35-switch-groups", "sys", "kernel", "iommu_groups");
        string[] Members(string g) => Directory.GetFileSystemEntries(Path.Combine(sw, g, "devices")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        var swDevices = Path.Combine(Hosts, "q35-switch-groups", "sys", "bus", "pci", "devices");
        Assert.Equal(["0000:02:00.0", "0000:03:00.0", "0000:03:00.1"], Members(GroupOf(swDevices, "0000:03:00.0")));
        Assert.Equal(["0000:00:04.0", "0000:05:01.0", "0000:05:01.1", "0000:05:02.0"], Members(GroupOf(swDevices, "0000:05:01.0")));
        Assert.StartsWith("0x0200", File.ReadAllText(Path.Combine(swDevices, "0000:05:02.0", "class")), StringComparison.Ordinal);

        // q35-no-iommu: no groups at all.
        Assert.False(Directory.Exists(Path.Combine(Hosts, "q35-no-iommu", "sys", "kernel", "iommu_groups")));
    }

    /// <summary>Every entry under dir, not descending into symlinked directories (a relative link target is
    /// relative to the link's real parent directory).</summary>
    private static IEnumerable<string> EntriesWithoutFollowingLinks(string dir)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(dir))
        {
            yield return path;
            if (new FileInfo(path).LinkTarget is null && Directory.Exists(path))
                foreach (var inner in EntriesWithoutFollowingLinks(path)) yield return inner;
        }
    }

    private static string Read(params string[] parts) => File.ReadAllText(Path.Combine(parts)).Trim();

    private static string GroupOf(string devices, string address) =>
        Path.GetFileName(new FileInfo(Path.Combine(devices, address, "iommu_group")).LinkTarget!);

    private static string ShortAddress(string address) => address.StartsWith("0000:", StringComparison.Ordinal) ? address[5..] : address;

    private static List<Dictionary<string, string>> ReadTsv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split('\t');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split('\t');
            Assert.True(cells.Length == header.Length, $"{path}: '{l}' has {cells.Length} columns, the header {header.Length}");
            return header.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        }).ToList();
    }

    private sealed record MachineLine(string Address, string Class, string Vendor, string Device);

    private static readonly Regex Quoted = new("\"([^\"]*)\"", RegexOptions.CultureInvariant);

    private static MachineLine ParseMachineLine(string line)
    {
        var address = line[..line.IndexOf(' ', StringComparison.Ordinal)];
        var q = Quoted.Matches(line).Select(m => m.Groups[1].Value).ToList();
        return new MachineLine(address, q[0], q[1], q[2]);
    }

    private static IEnumerable<(string Address, int Size)> DumpSizes(string lspciText)
    {
        string? current = null;
        var size = 0;
        foreach (var line in File.ReadLines(lspciText))
        {
            if (Regex.IsMatch(line, @"^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] "))
            {
                if (current is not null) yield return (current, size);
                current = line[..7];
                size = 0;
            }
            else if (Regex.IsMatch(line, "^[0-9a-f]{2,3}: ")) size += line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..].Split(' ').Length;
        }
        if (current is not null) yield return (current, size);
    }

    private sealed record Link(double? CapSpeed, int CapWidth, double? StaSpeed, int StaWidth);

    private static readonly Regex LinkLine = new(@"^\s+Lnk(Cap|Sta):\s+(?:Port #\d+, )?Speed ([0-9.]+GT/s|unknown)[^,]*, Width x(\d+)", RegexOptions.CultureInvariant);

    /// <summary>LnkCap/LnkSta of each device in `lspci -vv` text (the PCIe capability's, not LnkCap2).</summary>
    private static Dictionary<string, Link> LinksFromLspci(string text)
    {
        var result = new Dictionary<string, Link>(StringComparer.Ordinal);
        string? device = null;
        (double?, int)? cap = null;
        foreach (var line in text.Split('\n'))
        {
            if (Regex.IsMatch(line, @"^[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] ")) { device = line[..7]; cap = null; continue; }
            var m = LinkLine.Match(line);
            if (!m.Success || device is null) continue;
            double? speed = m.Groups[2].Value == "unknown" ? null : double.Parse(m.Groups[2].Value[..^4], CultureInfo.InvariantCulture);
            var width = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            if (m.Groups[1].Value == "Cap") cap = (speed, width);
            else if (cap is { } c) result[device] = new Link(c.Item1, c.Item2, speed, width);
        }
        return result;
    }

    /// <summary>"8.0 GT/s PCIe" -> 8.0; "Unknown" -> null.</summary>
    private static double? SysfsSpeed(string value) =>
        value.EndsWith(" GT/s PCIe", StringComparison.Ordinal) ? double.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture) : null;

    private static readonly Regex KeyValueId = new(@"(?:^|,)id=([^,]+)", RegexOptions.CultureInvariant);
    private static readonly Regex JsonId = new("\"id\":\"([^\"]+)\"", RegexOptions.CultureInvariant);

    private static IEnumerable<string> DeviceIds(string[] args)
    {
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] != "-device") continue;
            // Not PCI functions: they have an id but no PCI address.
            if (args[i + 1].StartsWith("nvme-subsys,", StringComparison.Ordinal) || args[i + 1].StartsWith("intel-iommu", StringComparison.Ordinal)) continue;
            var m = args[i + 1].StartsWith('{') ? JsonId.Match(args[i + 1]) : KeyValueId.Match(args[i + 1]);
            if (m.Success) yield return m.Groups[1].Value;
        }
    }

    private static string Lspci(params string[] args)
    {
        var psi = new ProcessStartInfo("lspci") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("lspci did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("lspci is missing: install pciutils (./test.sh and scripts/install-deps.sh do)", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"lspci {string.Join(' ', args)} failed: {stderr.Result}");
            return output;
        }
    }
}
