using System.Text;
using System.Text.Json;
using CsCheck;
using VfioKit.Cli.Json;
using VfioKit.Host;
using VfioKit.Files;

namespace VfioKit.Tests.Host;

/// <summary>Random garbage in every file the host model reads: it must degrade to unknowns and notes, never throw.</summary>
public class GarbageSysfsTests
{
    private static readonly string[] Attributes =
    [
        "vendor", "device", "class", "revision", "subsystem_vendor", "subsystem_device", "numa_node", "local_cpulist",
        "boot_vga", "reset_method", "max_link_speed", "max_link_width", "current_link_speed", "current_link_width", "config",
    ];

    // The CPU/NUMA files the host model reads through the CPU topology reader.
    private static readonly string[] CpuFiles =
    [
        "sys/devices/system/cpu/online", "sys/devices/system/cpu/isolated", "sys/devices/system/cpu/cpu0/topology/core_cpus_list",
        "sys/devices/system/cpu/cpu0/topology/physical_package_id", "sys/devices/system/cpu/cpu0/topology/core_id",
        "sys/devices/system/cpu/cpu0/cache/index3/level", "sys/devices/system/cpu/cpu0/cache/index3/type",
        "sys/devices/system/cpu/cpu0/cache/index3/shared_cpu_list", "sys/devices/system/node/online",
        "sys/devices/system/node/node0/cpulist", "sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages",
    ];

    private static readonly Gen<byte[]> Text = Gen.OneOf(
        Gen.Byte.Array[0, 80],
        Gen.String.Select(s => Encoding.UTF8.GetBytes(s)),
        Gen.OneOf<string>("", "-1", "0x", "0xffffffff", "0x1000000", "99999999999999999999", "-2147483649", "\0\0\0", "8.0 GT/s PCIe", "Unknown",
            "0", "64", "0x030000", "0x040300", "flr bus", "0x10de", "1", "NaN GT/s", "1e400 GT/s", "0-3,x", "hugepages-kB").Select(s => Encoding.UTF8.GetBytes(s)));

    /// <summary>A real config space with random bytes overwritten (so capability pointers and chains go wild), or random bytes.</summary>
    private static readonly Gen<byte[]> Config = Gen.OneOf(
        Gen.Byte.Array[0, 300],
        Gen.Select(Gen.Int[0, 4096], Gen.Int[0, 4095].Array[1, 40], Gen.Byte.Array[40], (length, offsets, values) =>
        {
            var bytes = SysfsTree.RealConfig("05:00.0");
            for (var i = 0; i < offsets.Length; i++) bytes[offsets[i]] = values[i];
            return bytes[..Math.Max(length, 0)];
        }));

    private static readonly Gen<string> Name = Gen.OneOf<string>("7", "-1", "abc", "99999999999", "0000:05:00.1", "zz:00.0", "0000:05:00.9", "hugepages-2048kB", "hugepages-xkB", "");

    [Fact]
    public void Garbage_in_any_file_never_crashes_the_model_or_the_json()
    {
        Gen.Select(Text.Array[Attributes.Length], Config, Text.Array[4], Name.Array[4], Text.Array[CpuFiles.Length])
            .Sample(sample =>
            {
                var (values, config, kernel, names, cpu) = sample;
                using var tree = new SysfsTree();
                for (var i = 0; i < CpuFiles.Length; i++) tree.WriteBytes(CpuFiles[i], cpu[i]);
                var dev = "sys/devices/pci0000:00/0000:05:00.0";
                for (var i = 0; i < Attributes.Length; i++)
                    tree.WriteBytes($"{dev}/{Attributes[i]}", Attributes[i] == "config" ? config : values[i]);
                tree.Link("sys/bus/pci/devices/0000:05:00.0", "../../../devices/pci0000:00/0000:05:00.0");
                if (names[0].Length > 0 && !names[0].Contains('/'))
                {
                    tree.Link("sys/bus/pci/devices/" + names[0].Replace(':', '_') + "x", "../../../devices/nowhere");
                    tree.Link($"{dev}/iommu_group", $"../../../kernel/iommu_groups/{names[0]}");
                    tree.Link($"sys/kernel/iommu_groups/{names[0]}x/devices/{names[1]}x", "../../../../devices/pci0000:00/0000:05:00.0");
                    tree.Link($"{dev}/driver", $"../../../bus/pci/drivers/{names[2]}");
                }
                if (names[3].Length > 0) tree.WriteBytes($"sys/kernel/mm/hugepages/{names[3]}/nr_hugepages", kernel[3]);
                tree.WriteBytes("proc/cmdline", kernel[0]).WriteBytes("proc/modules", kernel[1]).WriteBytes("proc/meminfo", kernel[2]);

                var host = HostModel.Read(new SysfsRoot(tree.Root));
                var json = JsonSerializer.Serialize(HostJsonMapping.From(host), HostJsonContext.Default.HostJson);
                using var doc = JsonDocument.Parse(json);
                Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("pciDevices").ValueKind);
            }, iter: 80);
    }

    [Fact]
    public void An_empty_root_is_an_unknown_host_with_notes()
    {
        using var tree = new SysfsTree();
        var host = HostModel.Read(new SysfsRoot(tree.Root));
        Assert.Empty(host.PciFunctions);
        Assert.Contains(host.Notes, n => n.Contains("sys/bus/pci/devices unreadable"));
        Assert.Contains(host.Notes, n => n.Contains("proc/cmdline unreadable"));
        Assert.True(host.HasFailedCheck);
    }
}
