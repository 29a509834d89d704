using VfioKit.Pci;

namespace VfioKit.Host;

/// <summary>
/// Judges whether a slot's IOMMU groups let it go to a VM alone: every member of its groups must be one of
/// the slot's functions or a bridge/port (vfio leaves those with the host); any other endpoint must go along.
/// </summary>
public static class ViabilityJudge
{
    public static GroupViability Judge(
        PhysicalSlot slot,
        IReadOnlyList<IommuGroup> groups,
        IReadOnlyDictionary<PciAddress, PciFunction> functions) =>
        Judge(slot.Functions, groups, functions, "this slot's functions");

    /// <summary>
    /// The same for any set of functions going to a VM together (`run`'s, across slots): every other member
    /// of their groups that is not a bridge must go along.
    /// </summary>
    public static GroupViability Judge(
        IReadOnlyList<PciFunction> passing,
        IReadOnlyList<IommuGroup> groups,
        IReadOnlyDictionary<PciAddress, PciFunction> functions,
        string passingText = "the functions passed")
    {
        var numbers = passing.Select(f => f.IommuGroup).ToList();
        if (groups.Count == 0 || numbers.Any(n => n is null))
        {
            var why = groups.Count == 0 ? "no IOMMU groups (IOMMU off)" : $"{string.Join(", ", passing.Where(f => f.IommuGroup is null).Select(f => f.Address))} in no IOMMU group";
            return new GroupViability(Viability.Unknown, [.. numbers.OfType<int>().Distinct().Order()], [], $"unknown: {why}");
        }

        var passed = passing.Select(f => f.Address).ToHashSet();
        var groupNumbers = numbers.OfType<int>().Distinct().Order().ToList();
        var mustGoAlong = new List<PciAddress>();
        foreach (var number in groupNumbers)
        {
            var group = groups.FirstOrDefault(g => g.Number == number);
            if (group is null) continue;
            foreach (var member in group.Devices)
            {
                if (passed.Contains(member)) continue;
                if (functions.TryGetValue(member, out var f) && f.IsBridge) continue;
                mustGoAlong.Add(member);
            }
        }
        mustGoAlong.Sort();
        var groupText = groupNumbers.Count == 1 ? $"group {groupNumbers[0]}" : $"groups {string.Join(", ", groupNumbers)}";
        if (mustGoAlong.Count == 0)
            return new GroupViability(Viability.Viable, groupNumbers, [], $"viable: {groupText} holds only {passingText}" +
                (groupNumbers.Any(n => groups.First(g => g.Number == n).Devices.Any(d => !passed.Contains(d))) ? " and bridges" : ""));

        var others = string.Join(", ", mustGoAlong.Select(a => functions.TryGetValue(a, out var f) ? $"{a} ({f.Description})" : a.ToString()));
        return new GroupViability(Viability.NotViable, groupNumbers, mustGoAlong,
            $"not viable: {groupText} also holds {others}; pass those to the VM too, or move the card to a slot with its own group");
    }
}
