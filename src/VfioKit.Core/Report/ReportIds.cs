using VfioKit.Pci;

namespace VfioKit.Report;

/// <summary>
/// The element ids a report gives each thing it draws, the same in the SVG, the HTML and the JSON, so a
/// finding can point at its element and a test can find every CPU, function and finding. Ids are built
/// from numbers only, never from names read from input.
/// </summary>
public static class ReportIds
{
    public static string Cpu(int cpu) => $"cpu-{cpu}";
    public static string Node(int node) => $"node-{node}";
    public static string HostFunction(PciAddress a) => $"pci-{a.Domain:x4}-{a.Bus:x2}-{a.Device:x2}-{a.Function:x1}";
    public static string Group(int group) => $"group-{group}";
    /// <summary>A guest device by its position in the guest view (names are the user's and may hold anything).</summary>
    public static string GuestDevice(int index) => $"guest-{index}";
    public static string Thread(PinnedThreadKind kind, int index) => kind switch
    {
        PinnedThreadKind.Vcpu => $"vcpu-{index}",
        PinnedThreadKind.Emulator => "emulator",
        _ => $"iothread-{index}",
    };
    public static string Finding(int index) => $"finding-{index}";
    public static string Check(string id) => $"check-{id}";
    public static string Rule(string ruleId) => $"rule-{ruleId}";
    public const string Vm = "vm";
    public const string Host = "host";
}
