using VfioKit.Files;
namespace VfioKit.Host;

/// <summary>Reads the huge page pools of /sys/kernel/mm/hugepages.</summary>
internal static class HugepageReader
{
    public const string Directory = "sys/kernel/mm/hugepages";

    public static IReadOnlyList<HugepagePool> Read(SysfsRoot root, ICollection<string> notes)
    {
        var pools = new List<HugepagePool>();
        foreach (var name in root.ListOrEmpty(Directory))
        {
            if (HugepagePool.ParseSizeKb(name) is not { } size)
            {
                notes.Add($"{Directory}/{name}: not a huge page size");
                continue;
            }
            long? Count(string file) => SysfsNumber.Long(root.ReadTextOrNull($"{Directory}/{name}/{file}")) is >= 0 and var v ? v : null;
            pools.Add(new HugepagePool(size, Count("nr_hugepages"), Count("free_hugepages"), Count("resv_hugepages"), Count("surplus_hugepages")));
        }
        pools.Sort((a, b) => a.SizeKb.CompareTo(b.SizeKb));
        return pools;
    }
}
