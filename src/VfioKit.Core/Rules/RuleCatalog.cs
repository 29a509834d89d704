namespace VfioKit.Rules;

/// <summary>Every rule vfiokit has, in ID order: what `vfiokit rules` lists and `lint` runs.</summary>
public static class RuleCatalog
{
    public static IReadOnlyList<IRule> All { get; } = new IRule[]
    {
        new Vk101PassthroughOnI440fx(),
        new Vk102PcieDeviceOnRootBus(),
        new Vk103FunctionsSplit(),
        new Vk104MultifunctionMissing(),
        new Vk105MultifunctionNeedless(),
        new Vk106VfioOnConventionalBus(),
        new Vk107GroupMemberNotPassed(),
        new Vk108PortLinkBelowHost(),
        new Vk109DuplicateChassisSlot(),
        new Vk110UnknownBus(),
        new Vk111AddressInUse(),
        new Vk112XVgaWithUefi(),
        new Vk113IoReserveZero(),
        new Vk114ControllerNamedLikeRootBus(),
        new Vk204VcpuPinning(),
        new Vk208SplitIrqchipNvidia(),
        new Vk201HyperVEnlightenments(),
        new Vk202KvmHidden(),
        new Vk203MemoryBacking(),
        new Vk205LookingGlassSize(),
        new Vk206CpuModel(),
        new Vk207RomFile(),
        new Vk209HypervisorBitOff(),
        new Vk210HyperVDependencies(),
        new Vk211EmulatorPinOverlap(),
        new Vk212RomFileFunction(),
        new Vk213RemovedQemuOption(),
        new Vk301RunTimeValues(),
    }.OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<RuleDescriptor> Descriptors { get; } = All.Select(r => r.Descriptor).ToArray();

    public static IRule? Find(string id) =>
        All.FirstOrDefault(r => string.Equals(r.Descriptor.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));
}
