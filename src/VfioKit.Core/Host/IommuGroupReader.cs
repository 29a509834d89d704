using VfioKit.Pci;
using VfioKit.Files;

namespace VfioKit.Host;

/// <summary>Reads /sys/kernel/iommu_groups/N/devices: the groups and their members.</summary>
internal static class IommuGroupReader
{
    public const string Directory = "sys/kernel/iommu_groups";

    public static IReadOnlyList<IommuGroup> Read(SysfsRoot root, ICollection<string> notes)
    {
        var groups = new List<IommuGroup>();
        foreach (var name in root.ListOrEmpty(Directory))
        {
            if (SysfsNumber.Int(name) is not { } number || number < 0)
            {
                notes.Add($"{Directory}/{name}: not a group number");
                continue;
            }
            var members = new List<PciAddress>();
            foreach (var entry in root.ListOrEmpty($"{Directory}/{name}/devices"))
            {
                if (PciAddress.TryParse(entry, out var address)) members.Add(address);
                else notes.Add($"{Directory}/{name}/devices/{entry}: not a PCI address");
            }
            members.Sort();
            groups.Add(new IommuGroup(number, members));
        }
        groups.Sort((a, b) => a.Number.CompareTo(b.Number));
        return groups;
    }
}
