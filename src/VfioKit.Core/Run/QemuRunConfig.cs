using System.Globalization;
using VfioKit.Behaviour.Qemu;
using VfioKit.Diagnostics;
using VfioKit.Formats;
using VfioKit.Formats.Qemu;
using VfioKit.Host.Cpu;
using VfioKit.Planning;

namespace VfioKit.Run;

/// <summary>
/// Reads a <see cref="RunRequest"/> from a QEMU launch script or argument file: the vfio-pci hosts, the memory
/// size and whether it is backed by huge pages (-mem-path on hugetlbfs, memory-backend-file on hugetlbfs,
/// memory-backend-memfd,hugetlb=on), the -name, and the argv to start (binary first).
/// </summary>
public static class QemuRunConfig
{
    public const string DefaultBinary = "qemu-system-x86_64";

    public static RunRequest Read(string text, string origin, CpuList? vmCpus)
    {
        var format = ConfigFormatDetector.Detect(origin, text);
        if (format == ConfigFormat.Libvirt)
            throw new InputException(origin, "a libvirt domain: libvirt starts QEMU itself; use `virsh start` with the hook (`vfiokit hook install`)");
        if (format != ConfigFormat.Qemu)
            throw new InputException(origin, "not a QEMU launch script or argument file");
        var config = VmConfigFile.Parse(origin, text, format: format);
        var script = config.Script!;
        // run starts QEMU with the words it read: without these it would start a different VM than the script does.
        if (script.Unknowns.Count > 0)
            throw new InputException(origin, script.Unknowns[0].Line, 0, "run starts QEMU from the options it reads, and " +
                string.Join(", ", script.Unknowns) + " is known only when the script runs; write it out, or run the script itself");
        var binary = script.Binary?.Text ?? DefaultBinary;
        var topology = config.Topology;
        var functions = topology.Devices.Where(d => d.IsPassthrough && d.HostAddress is not null).Select(d => d.HostAddress!.Value).Distinct().Order().ToList();
        var words = script.Arguments.SelectMany(a => a.Value is { } v ? [a.Option.Text, v.Text] : new[] { a.Option.Text }).ToList();
        var name = NameOf(words) ?? Path.GetFileNameWithoutExtension(origin);
        if (!RunRequest.IsValidName(name)) throw new InputException(origin, $"VM name \"{name}\" cannot name a journal: use letters, digits, - _ . + (set -name)");
        return new RunRequest(name, functions, HugePagesOf(words, origin), vmCpus, [binary, .. words]);
    }

    /// <summary>
    /// A rehearsal's argv (`run --stand-ins`): the VM as `vfiokit probe` boots it, every vfio-pci function replaced
    /// by an emulated device that behaves the same on its bus and every backend (disk, network, huge page memory)
    /// by a null one, with the config's -name and -smp; KVM when the host has it, TCG otherwise. Host changes
    /// are planned from the config as written: only QEMU runs without the hardware.
    /// </summary>
    public static IReadOnlyList<string> StandInArgv(string text, string origin, RunRequest request)
    {
        var machine = Probe.StandIns.Build(VmConfigFile.Parse(origin, text).Topology);
        var words = request.Argv.Skip(1).ToList();
        var smp = ValueOf(words, "-smp");
        return
        [
            request.Argv[0], "-name", $"{request.Name},debug-threads=on",
            .. machine.Arguments,
            .. smp is null ? Array.Empty<string>() : ["-smp", smp],
            "-accel", "kvm", "-accel", "tcg",
            "-display", "none", "-monitor", "none", "-serial", "none",
        ];
    }

    private static string? NameOf(IReadOnlyList<string> words)
    {
        var value = ValueOf(words, "-name");
        if (value is null) return null;
        foreach (var part in value.Split(','))
        {
            if (part.StartsWith("guest=", StringComparison.Ordinal)) return part["guest=".Length..];
            if (!part.Contains('=')) return part;
        }
        return null;
    }

    private static string? ValueOf(IReadOnlyList<string> words, string option)
    {
        string? value = null;
        for (var i = 0; i + 1 < words.Count; i++)
            if (words[i] == option || words[i] == "-" + option) value = words[i + 1];
        return value;
    }

    private static HugePageDemand? HugePagesOf(IReadOnlyList<string> words, string origin)
    {
        var backed = false;
        long pageKiB = 2048;
        for (var i = 0; i + 1 < words.Count; i++)
        {
            var (option, value) = (words[i].TrimStart('-'), words[i + 1]);
            if (option == "mem-path" && value.Contains("huge", StringComparison.Ordinal)) backed = true;
            if (option != "object") continue;
            var parts = value.Split(',');
            var hugetlb = parts[0] == "memory-backend-memfd" && parts.Contains("hugetlb=on")
                || parts[0] == "memory-backend-file" && parts.Any(p => p.StartsWith("mem-path=", StringComparison.Ordinal) && p.Contains("huge", StringComparison.Ordinal));
            if (!hugetlb) continue;
            backed = true;
            if (parts.FirstOrDefault(p => p.StartsWith("hugetlbsize=", StringComparison.Ordinal)) is { } size
                && QemuSize.Parse(size["hugetlbsize=".Length..]) is { } bytes and > 0) pageKiB = bytes / 1024;
        }
        if (!backed) return null;
        var m = ValueOf(words, "-m") ?? "128M";
        var sizeText = m.Split(',').Select(p => p.StartsWith("size=", StringComparison.Ordinal) ? p[5..] : p).First(p => !p.Contains('='));
        // QEMU reads a bare -m number as MiB.
        if (QemuSize.Parse(sizeText, 1L << 20) is not { } memory || memory <= 0) throw new InputException(origin, $"-m {m}: not a memory size");
        return new HugePageDemand(pageKiB, (memory / 1024 + pageKiB - 1) / pageKiB);
    }
}
