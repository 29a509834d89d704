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
        IReadOnlyDictionary<PciAddress, PciFunction> functions)
    {
        var numbers = slot.Functions.Select(f => f.IommuGroup).ToList();
        if (groups.Count == 0 || numbers.Any(n => n is null))
        {
            var why = groups.Count == 0 ? "no IOMMU groups (IOMMU off)" : $"{string.Join(", ", slot.Functions.Where(f => f.IommuGroup is null).Select(f => f.Address))} in no IOMMU group";
            return new GroupViability(Viability.Unknown, [.. numbers.OfType<int>().Distinct().Order()], [], $"unknown: {why}");
        }

        var groupNumbers = numbers.OfType<int>().Distinct().Order().ToList();
        var mustGoAlong = new List<PciAddress>();
        foreach (var number in groupNumbers)
        {
            var group = groups.FirstOrDefault(g => g.Number == number);
            if (group is null) continue;
            foreach (var member in group.Devices)
            {
                if (member.Slot == slot.Slot) continue;
                if (functions.TryGetValue(member, out var f) && f.IsBridge) continue;
                mustGoAlong.Add(member);
            }
        }
        mustGoAlong.Sort();
        var groupText = groupNumbers.Count == 1 ? $"group {groupNumbers[0]}" : $"groups {string.Join(", ", groupNumbers)}";
        if (mustGoAlong.Count == 0)
            return new GroupViability(Viability.Viable, groupNumbers, [], $"viable: {groupText} holds only this slot's functions" +
                (groupNumbers.Any(n => groups.First(g => g.Number == n).Devices.Any(d => d.Slot != slot.Slot)) ? " and bridges" : ""));

        var others = string.Join(", ", mustGoAlong.Select(a => functions.TryGetValue(a, out var f) ? $"{a} ({f.Description})" : a.ToString()));
        return new GroupViability(Viability.NotViable, groupNumbers, mustGoAlong,
            $"not viable: {groupText} also holds {others}; pass those to the VM too, or move the card to a slot with its own group");
    }
}
