using System.Globalization;
using System.Text.RegularExpressions;

namespace VfioKit.Host.Cpu;

/// <summary>
/// Reads <see cref="CpuTopology"/> from /sys/devices/system/cpu, /sys/devices/system/node,
/// /sys/devices/cpu_core|cpu_atom, /proc/cmdline and /proc/cpuinfo below a root directory.
/// Missing files become "unknown" with a note; odd content never throws.
/// </summary>
public static partial class CpuTopologyReader
{
    private const string CpuDir = "sys/devices/system/cpu";
    private const string NodeDir = "sys/devices/system/node";

    public static CpuTopology Read(string root) => Read(new SysfsText(root));

    public static CpuTopology Read(SysfsText fs)
    {
        var notes = new List<string>();
        var cpuDirs = fs.Directories(CpuDir).Select(CpuNumber).Where(n => n is >= 0 and <= CpuList.MaxCpu).Order().ToArray();

        var possible = List(fs, $"{CpuDir}/possible") ?? CpuList.Of(cpuDirs);
        var present = List(fs, $"{CpuDir}/present") ?? possible;
        var online = List(fs, $"{CpuDir}/online");
        if (online is null)
        {
            notes.Add(fs.TryRead($"{CpuDir}/online") is { } bad
                ? $"{CpuDir}/online '{(bad.Trim().Length > 40 ? bad.Trim()[..40] + "..." : bad.Trim())}' is not a list of CPU ids 0-{CpuList.MaxCpu}: taking every CPU with a topology directory as online"
                : $"{CpuDir}/online unreadable: taking every CPU with a topology directory as online");
            online = CpuList.Of(cpuDirs.Where(n => fs.Exists($"{CpuDir}/cpu{n}/topology")));
        }
        var cmdline = fs.TryRead("proc/cmdline") is { } cl ? KernelCpuOptions.Parse(cl) : KernelCpuOptions.None;
        var isolated = (List(fs, $"{CpuDir}/isolated") ?? CpuList.Empty).Union(cmdline.IsolCpus);

        var pCores = List(fs, "sys/devices/cpu_core/cpus");
        var eCores = List(fs, "sys/devices/cpu_atom/cpus");

        var nodes = ReadNodes(fs, online, notes);
        var nodeOfCpu = new Dictionary<int, int>();
        foreach (var n in nodes)
            foreach (var c in n.Cpus) nodeOfCpu.TryAdd(c, n.Id);

        // Per CPU: topology and the level-3 unified cache.
        var raw = new List<(int Id, int Package, int? Die, int Core, int? Cluster, CpuList Siblings, CpuList? L3, int? L3Id, long? L3Size)>();
        foreach (var id in online)
        {
            var t = $"{CpuDir}/cpu{id}/topology";
            var package = Int(fs, $"{t}/physical_package_id");
            var core = Int(fs, $"{t}/core_id");
            if (package is null || core is null) notes.Add($"cpu{id}: no topology (package/core id unknown)");
            var siblings = List(fs, $"{t}/core_cpus_list") ?? List(fs, $"{t}/thread_siblings_list")
                ?? Mask(fs, $"{t}/core_cpus") ?? Mask(fs, $"{t}/thread_siblings");
            if (siblings is null) notes.Add($"cpu{id}: SMT siblings unknown, taken as a core of its own");
            siblings = (siblings ?? CpuList.Empty).Union(CpuList.Of(id)).Intersect(online);
            var (l3, l3Id, l3Size) = ReadL3(fs, id);
            l3 = l3?.Intersect(online);
            raw.Add((id, package ?? -1, Int(fs, $"{t}/die_id"), core ?? id, Int(fs, $"{t}/cluster_id"), siblings, l3, l3Id, l3Size));
        }
        if (raw.Count > 0 && raw.All(r => r.L3 is null)) notes.Add("no level-3 unified cache listed: L3 domains unknown");

        var l3Domains = raw.Where(r => r.L3 is not null)
            .GroupBy(r => r.L3!).OrderBy(g => g.Key.First)
            .Select((g, i) => new L3Domain(i, g.First().L3Id, g.Key, g.First().L3Size)).ToArray();
        int? L3Of(int cpu) => l3Domains.FirstOrDefault(d => d.Cpus.Contains(cpu))?.Index;
        CoreType TypeOf(int cpu) =>
            pCores?.Contains(cpu) == true ? CoreType.Performance : eCores?.Contains(cpu) == true ? CoreType.Efficiency : CoreType.Unknown;
        int? NodeOf(int cpu) => nodeOfCpu.TryGetValue(cpu, out var n) ? n : null;

        var cpus = raw.Select(r => new LogicalCpu(r.Id, r.Package, r.Die, r.Core, r.Cluster, r.Siblings, L3Of(r.Id), NodeOf(r.Id),
            TypeOf(r.Id), Online: true, Isolated: isolated.Contains(r.Id))).ToArray();

        var cores = CoresOf(cpus);
        var packages = PackagesOf(cpus);

        var (vendor, model) = ReadVendor(fs);
        return new CpuTopology(vendor, model, possible, present, online, isolated, cmdline.NohzFull,
            cpus, cores, l3Domains, packages, nodes, notes);
    }

    /// <summary>The physical cores: a core is a sibling set; the sets of its members must agree (a dump where they
    /// don't is taken per first CPU).</summary>
    public static IReadOnlyList<PhysicalCore> CoresOf(IReadOnlyList<LogicalCpu> cpus)
    {
        var cores = new List<PhysicalCore>();
        var seen = new HashSet<int>();
        foreach (var c in cpus)
        {
            if (seen.Contains(c.Id)) continue;
            var threads = c.Siblings.Where(s => !seen.Contains(s)).ToArray();
            foreach (var s in threads) seen.Add(s);
            cores.Add(new PhysicalCore(cores.Count, c.Package, c.CoreId, CpuList.Of(threads), c.Type, c.Node, c.L3));
        }
        return cores;
    }

    public static IReadOnlyList<CpuPackage> PackagesOf(IReadOnlyList<LogicalCpu> cpus) =>
        cpus.GroupBy(c => c.Package).OrderBy(g => g.Key).Select(g => new CpuPackage(g.Key, CpuList.Of(g.Select(c => c.Id)))).ToArray();

    private static (CpuList? Cpus, int? Id, long? SizeKiB) ReadL3(SysfsText fs, int cpu)
    {
        var cache = $"{CpuDir}/cpu{cpu}/cache";
        // Matched by level and type, not by the index name: index numbering differs between parts.
        foreach (var index in fs.Directories(cache).Where(d => d.StartsWith("index", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var dir = $"{cache}/{index}";
            if (Int(fs, $"{dir}/level") != 3 || fs.TryRead($"{dir}/type")?.Trim() != "Unified") continue;
            var shared = List(fs, $"{dir}/shared_cpu_list") ?? Mask(fs, $"{dir}/shared_cpu_map");
            if (shared is null) continue;
            return (shared.Union(CpuList.Of(cpu)), Int(fs, $"{dir}/id"), CacheSize.TryParseKiB(fs.TryRead($"{dir}/size")));
        }
        return (null, null, null);
    }

    private static IReadOnlyList<NumaNode> ReadNodes(SysfsText fs, CpuList onlineCpus, List<string> notes)
    {
        var ids = (List(fs, $"{NodeDir}/online") ?? CpuList.Of(fs.Directories(NodeDir).Select(NodeNumber).Where(n => n >= 0))).ToArray();
        if (ids.Length == 0)
        {
            notes.Add($"{NodeDir} absent: taking one NUMA node 0 with every CPU");
            return [new NumaNode(0, onlineCpus, true, null, null, [], [])];
        }
        // has_normal_memory is the older kernels' file; both list the nodes with memory.
        var hasMemory = List(fs, $"{NodeDir}/has_memory") ?? List(fs, $"{NodeDir}/has_normal_memory");
        var result = new List<NumaNode>();
        foreach (var id in ids)
        {
            var dir = $"{NodeDir}/node{id}";
            var cpus = List(fs, $"{dir}/cpulist") ?? Mask(fs, $"{dir}/cpumap")
                ?? CpuList.Of(fs.Directories(dir).Select(CpuNumber).Where(n => n >= 0));
            var mem = fs.TryRead($"{dir}/meminfo") is { } m ? NodeMemInfo.Parse(m) : new NodeMemInfo(null, null);
            bool memory;
            if (hasMemory is not null) memory = hasMemory.Contains(id);
            else if (mem.MemTotalKiB is { } t) memory = t > 0;
            else
            {
                memory = true;
                notes.Add($"node{id}: memory unknown (no has_memory, no meminfo), assumed present");
            }
            var distances = fs.TryRead($"{dir}/distance") is { } d ? ParseInts(d) : [];
            result.Add(new NumaNode(id, cpus.Intersect(onlineCpus), memory, mem.MemTotalKiB, mem.MemFreeKiB, ReadHugePages(fs, dir), distances));
        }
        return result;
    }

    private static IReadOnlyList<HugePagePool> ReadHugePages(SysfsText fs, string nodeDir)
    {
        var pools = new List<HugePagePool>();
        foreach (var name in fs.Directories($"{nodeDir}/hugepages"))
        {
            var match = HugePageDir().Match(name);
            if (!match.Success || !long.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var size)) continue;
            var total = Long(fs, $"{nodeDir}/hugepages/{name}/nr_hugepages");
            var free = Long(fs, $"{nodeDir}/hugepages/{name}/free_hugepages");
            pools.Add(new HugePagePool(size, total ?? 0, free ?? 0));
        }
        return pools.OrderBy(p => p.PageSizeKiB).ToArray();
    }

    private static (CpuVendor, string?) ReadVendor(SysfsText fs)
    {
        var text = fs.TryRead("proc/cpuinfo");
        if (text is null) return (CpuVendor.Unknown, null);
        var info = CpuInfoText.Parse(text);
        return (info.Vendor, info.ModelName);
    }

    private static IReadOnlyList<int> ParseInts(string text) =>
        text.Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1).ToArray();

    private static CpuList? List(SysfsText fs, string rel) =>
        fs.TryRead(rel) is { } t && CpuList.TryParse(t, out var l) ? l : null;

    private static CpuList? Mask(SysfsText fs, string rel) =>
        fs.TryRead(rel) is { } t && CpuList.TryParseMask(t, out var l) ? l : null;

    private static int? Int(SysfsText fs, string rel) =>
        fs.TryRead(rel) is { } t && int.TryParse(t.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static long? Long(SysfsText fs, string rel) =>
        fs.TryRead(rel) is { } t && long.TryParse(t.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int CpuNumber(string name) => Number(CpuName().Match(name));
    private static int NodeNumber(string name) => Number(NodeName().Match(name));
    private static int Number(Match m) =>
        m.Success && int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var n) ? n : -1;

    [GeneratedRegex(@"^cpu(\d+)$")] private static partial Regex CpuName();
    [GeneratedRegex(@"^node(\d+)$")] private static partial Regex NodeName();
    [GeneratedRegex(@"^hugepages-(\d+)kB$")] private static partial Regex HugePageDir();
}
