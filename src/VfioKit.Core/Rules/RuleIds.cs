
namespace VfioKit.Rules;

/// <summary>
/// Every rule ID, in one place. IDs are never reused (docs/rules/RELEASES.md records when each shipped);
/// code refers to these constants, never to a literal "VKnnn".
/// </summary>
public static class RuleIds
{
    // VK1xx: PCI / PCI Express topology.
    public const string PassthroughOnI440fx = "VK101";
    public const string PcieDeviceOnRootBus = "VK102";
    public const string FunctionsSplitAcrossSlots = "VK103";
    public const string MultifunctionMissing = "VK104";
    public const string MultifunctionNeedless = "VK105";
    public const string VfioOnConventionalBus = "VK106";
    public const string GroupMemberNotPassedThrough = "VK107";
    public const string PortLinkBelowHost = "VK108";
    public const string DuplicateChassisSlot = "VK109";
    public const string UnknownBus = "VK110";
    public const string AddressInUse = "VK111";
    public const string XVgaWithUefi = "VK112";
    public const string IoReserveZero = "VK113";
    public const string ControllerNamedLikeRootBus = "VK114";

    // VK2xx: CPU, memory and guest tuning.
    public const string HyperVEnlightenmentsMissing = "VK201";
    public const string KvmHiddenNeedless = "VK202";
    public const string MemoryNotBacked = "VK203";
    public const string VcpuPinning = "VK204";
    public const string LookingGlassSize = "VK205";
    public const string CpuModelNotHost = "VK206";
    public const string RomFileMissing = "VK207";
    public const string SplitIrqchipWithNvidia = "VK208";
    public const string HypervisorBitOff = "VK209";
    public const string HyperVDependencyMissing = "VK210";
    public const string EmulatorPinOverlapsVcpus = "VK211";
    public const string RomFileOnNonDisplayFunction = "VK212";
    public const string RemovedQemuOption = "VK213";

    // VK3xx: reading the configuration.
    public const string RunTimeValues = "VK301";

    /// <summary>Where a user reads about a rule, wherever vfiokit is installed: the `help` of the JSON and SARIF outputs.</summary>
    public static string HelpCommand(string id) => $"vfiokit explain {id}";

    /// <summary>"VK" and three digits: the only form an ID may take.</summary>
    public static bool IsWellFormed(string id) =>
        id.Length == 5 && id.StartsWith("VK", StringComparison.Ordinal) && id[2..].All(char.IsAsciiDigit);
}
