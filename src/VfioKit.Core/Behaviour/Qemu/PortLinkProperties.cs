using System.Globalization;
using VfioKit.Pci;

namespace VfioKit.Behaviour.Qemu;

/// <summary>
/// pcie-root-port's link properties (hw/pci-bridge/gen_pcie_root_port.c) and their values (qapi/common.json
/// PCIELinkSpeed, PCIELinkWidth): the one place their names and spellings are written, for the reader, the
/// repairer, the generators and the guest-view checks.
/// </summary>
public static class PortLinkProperties
{
    public const string Speed = "x-speed";
    public const string Width = "x-width";

    /// <summary>The x-speed values: 2_5, 5, 8, 16 (QEMU 4.0), 32 and 64 (QEMU 9.0).</summary>
    public const string SpeedValues = "2_5, 5, 8, 16, 32, 64";

    /// <summary>The x-width values.</summary>
    public const string WidthValues = "1, 2, 4, 8, 12, 16, 32";

    /// <summary>An x-speed value, or null when it is not one QEMU knows.</summary>
    public static LinkSpeed? TrySpeed(string? value) => value switch
    {
        "2_5" => LinkSpeed.Gen1,
        "5" => LinkSpeed.Gen2,
        "8" => LinkSpeed.Gen3,
        "16" => LinkSpeed.Gen4,
        "32" => LinkSpeed.Gen5,
        "64" => LinkSpeed.Gen6,
        _ => null,
    };

    public static string SpeedText(LinkSpeed speed) => speed.Encoding switch
    {
        1 => "2_5",
        2 => "5",
        3 => "8",
        4 => "16",
        5 => "32",
        6 => "64",
        _ => throw new ArgumentOutOfRangeException(nameof(speed)),
    };

    /// <summary>An x-width value, or null when it is not one QEMU knows.</summary>
    public static int? TryWidth(string? value) => value switch
    {
        "1" => 1, "2" => 2, "4" => 4, "8" => 8, "12" => 12, "16" => 16, "32" => 32,
        _ => null,
    };

    public static string WidthText(int width) => width.ToString(CultureInfo.InvariantCulture);
}
