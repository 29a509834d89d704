using System.Collections;
using System.Globalization;
using System.Text;

namespace VfioKit.Host.Cpu;

/// <summary>
/// A set of CPU numbers in the kernel's list form ("0-3,8-11"), sorted and distinct.
/// Also reads the hex mask form of cpumap/shared_cpu_map ("00000000,003f0000") for dumps that lack the list files.
/// </summary>
public sealed class CpuList : IEquatable<CpuList>, IReadOnlyList<int>
{
    private readonly int[] _cpus;

    public static CpuList Empty { get; } = new([]);

    private CpuList(int[] sortedDistinct) => _cpus = sortedDistinct;

    public static CpuList Of(IEnumerable<int> cpus)
    {
        var a = cpus.Distinct().Order().ToArray();
        if (a.Length > 0 && a[0] < 0) throw new ArgumentOutOfRangeException(nameof(cpus), "CPU numbers are not negative");
        return a.Length == 0 ? Empty : new CpuList(a);
    }

    public static CpuList Of(params int[] cpus) => Of((IEnumerable<int>)cpus);

    public int Count => _cpus.Length;
    public int this[int index] => _cpus[index];
    public bool IsEmpty => _cpus.Length == 0;
    public int First => _cpus[0];
    public int Max => _cpus.Length == 0 ? -1 : _cpus[^1];

    public bool Contains(int cpu) => Array.BinarySearch(_cpus, cpu) >= 0;
    public bool IsSubsetOf(CpuList other) => _cpus.All(other.Contains);
    public CpuList Union(CpuList other) => Of(_cpus.Concat(other._cpus));
    public CpuList Intersect(CpuList other) => Of(_cpus.Where(other.Contains));
    public CpuList Except(CpuList other) => Of(_cpus.Where(c => !other.Contains(c)));

    /// <summary>The largest CPU number Linux can have (NR_CPUS is at most 8192): larger ids in a snapshot or a
    /// plan are not CPUs, and bounding them bounds the work every per-CPU loop does.</summary>
    public const int MaxCpu = 8191;

    /// <summary>Parses "0-3,8-11", "5", "" (empty), tolerating spaces and a trailing newline: sysfs, libvirt's cpuset
    /// (whose "^2" takes a CPU out again) and Proxmox's affinity. Accepts the kernel's stride form "0-15:2/4" too
    /// (isolcpus, nohz_full). False for ids above <see cref="MaxCpu"/>.</summary>
    public static bool TryParse(string? text, out CpuList list)
    {
        list = Empty;
        if (text is null) return false;
        var t = text.Trim();
        if (t.Length == 0) return true;
        // A bitmap, not a list: "0-8191" repeated a thousand times stays 8 KiB.
        var cpus = new bool[MaxCpu + 1];
        var excluded = new bool[MaxCpu + 1];
        foreach (var raw in t.Split(','))
        {
            var part = raw.Trim();
            var into = cpus;
            if (part.StartsWith('^')) { part = part[1..]; into = excluded; }
            if (part.Length == 0) return false;
            int? used = null, group = null;
            var colon = part.IndexOf(':');
            if (colon >= 0)
            {
                var sp = part[(colon + 1)..].Split('/');
                if (sp.Length != 2 || !Int(sp[0], out var u) || !Int(sp[1], out var g) || u < 1 || g < 1 || u > g) return false;
                (used, group) = (u, g);
                part = part[..colon];
            }
            var dash = part.IndexOf('-');
            int lo, hi;
            if (dash < 0) { if (!Int(part, out lo)) return false; hi = lo; }
            else if (!Int(part[..dash], out lo) || !Int(part[(dash + 1)..], out hi) || hi < lo) return false;
            if (hi > MaxCpu) return false;
            for (var c = lo; c <= hi; c++)
                if (used is null || (c - lo) % group!.Value < used.Value) into[c] = true;
        }
        list = Of(Enumerable.Range(0, MaxCpu + 1).Where(c => cpus[c] && !excluded[c]));
        return true;
    }

    public static CpuList Parse(string text) =>
        TryParse(text, out var l) ? l : throw new FormatException($"'{text.Trim()}' is not a CPU list (expected e.g. 0-3,8-11)");

    /// <summary>Parses a hex mask as in cpumap: 32-bit words separated by commas, most significant first.</summary>
    public static bool TryParseMask(string? text, out CpuList list)
    {
        list = Empty;
        if (text is null) return false;
        var hex = text.Trim().Replace(",", "", StringComparison.Ordinal);
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        if (hex.Length == 0 || hex.Length > (MaxCpu + 1) / 4) return false;
        var cpus = new List<int>();
        for (var i = 0; i < hex.Length; i++)
        {
            var nibble = HexValue(hex[hex.Length - 1 - i]);
            if (nibble < 0) return false;
            for (var b = 0; b < 4; b++)
                if ((nibble & (1 << b)) != 0) cpus.Add(i * 4 + b);
        }
        list = Of(cpus);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static bool Int(string s, out int v) =>
        int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out v);

    /// <summary>The kernel's list form: "0-3,8-11"; "" when empty.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < _cpus.Length;)
        {
            var j = i;
            while (j + 1 < _cpus.Length && _cpus[j + 1] == _cpus[j] + 1) j++;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(_cpus[i].ToString(CultureInfo.InvariantCulture));
            if (j > i) sb.Append('-').Append(_cpus[j].ToString(CultureInfo.InvariantCulture));
            i = j + 1;
        }
        return sb.ToString();
    }

    public bool Equals(CpuList? other) => other is not null && _cpus.AsSpan().SequenceEqual(other._cpus);
    public override bool Equals(object? obj) => obj is CpuList l && Equals(l);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var c in _cpus) h.Add(c);
        return h.ToHashCode();
    }

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_cpus).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _cpus.GetEnumerator();
}
