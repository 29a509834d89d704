using System.Globalization;

namespace VfioKit.Pci;

/// <summary>
/// A PCI class code: base class, subclass and programming interface (config bytes 0x0b, 0x0a, 0x09),
/// e.g. 0x030000 for a VGA controller. Names follow the pci.ids class list that lspci prints.
/// </summary>
public readonly record struct PciClass(byte Base, byte Sub, byte ProgIf)
{
    /// <summary>The 24-bit code, 0xBBSSPP, as sysfs' class file holds it.</summary>
    public int Code => (Base << 16) | (Sub << 8) | ProgIf;

    /// <summary>Base and subclass, 0xBBSS, the number lspci prints in brackets ("[0300]").</summary>
    public int BaseAndSub => (Base << 8) | Sub;

    public static PciClass FromCode(int code) => new((byte)(code >> 16), (byte)(code >> 8), (byte)code);

    /// <summary>Display controller (03xx): VGA, XGA, 3D or other; what makes a slot a GPU.</summary>
    public bool IsDisplay => Base == 0x03;

    /// <summary>VGA compatible controller (0300): may claim the legacy VGA ranges (boot_vga).</summary>
    public bool IsVga => BaseAndSub == 0x0300;

    /// <summary>Audio device (0403), the HDMI/DP audio function of a GPU.</summary>
    public bool IsHdAudio => BaseAndSub == 0x0403;

    /// <summary>USB controller (0c03), as on GPUs with a VirtualLink/USB-C port.</summary>
    public bool IsUsb => BaseAndSub == 0x0c03;

    /// <summary>Serial bus controller (0c80), the UCSI USB-C controller of such GPUs.</summary>
    public bool IsSerialBus => BaseAndSub == 0x0c80;

    /// <summary>Any bridge (06xx).</summary>
    public bool IsBridge => Base == 0x06;

    public bool IsHostBridge => BaseAndSub == 0x0600;

    /// <summary>PCI bridge (0604), which includes PCI Express root and switch ports.</summary>
    public bool IsPciBridge => BaseAndSub == 0x0604;

    /// <summary>lspci's class name ("VGA compatible controller", "Audio device"), or the base class's
    /// name, or "Class 0c80" when neither is known.</summary>
    public string Name => SubclassName(BaseAndSub) ?? BaseName(Base) ?? string.Create(CultureInfo.InvariantCulture, $"Class {BaseAndSub:x4}");

    /// <summary>True when <see cref="Name"/> names the subclass itself, not just the base class.</summary>
    public bool HasSubclassName => SubclassName(BaseAndSub) is not null;

    /// <summary>"0x030000", the form of sysfs' class file.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"0x{Code:x6}");

    /// <summary>Reads "0x030000" (sysfs) or "030000".</summary>
    public static bool TryParse(string? text, out PciClass value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
        if (s.Length is 0 or > 6 || !int.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            return false;
        value = FromCode(code);
        return true;
    }

    public static PciClass Parse(string text) =>
        TryParse(text, out var c) ? c : throw new FormatException($"'{text}' is not a PCI class code (expected 0xBBSSPP)");

    private static string? SubclassName(int baseAndSub) => baseAndSub switch
    {
        0x0100 => "SCSI storage controller",
        0x0101 => "IDE interface",
        0x0104 => "RAID bus controller",
        0x0106 => "SATA controller",
        0x0107 => "Serial Attached SCSI controller",
        0x0108 => "Non-Volatile memory controller",
        0x0180 => "Mass storage controller",
        0x0200 => "Ethernet controller",
        0x0207 => "Infiniband controller",
        0x0280 => "Network controller",
        0x0300 => "VGA compatible controller",
        0x0301 => "XGA compatible controller",
        0x0302 => "3D controller",
        0x0380 => "Display controller",
        0x0401 => "Multimedia audio controller",
        0x0403 => "Audio device",
        0x0480 => "Multimedia controller",
        0x0500 => "RAM memory",
        0x0600 => "Host bridge",
        0x0601 => "ISA bridge",
        0x0604 => "PCI bridge",
        0x0607 => "CardBus bridge",
        0x0680 => "Bridge",
        0x0700 => "Serial controller",
        0x0780 => "Communication controller",
        0x0800 => "PIC",
        0x0806 => "IOMMU",
        0x0880 => "System peripheral",
        0x0c03 => "USB controller",
        0x0c05 => "SMBus",
        0x0c80 => "Serial bus controller",
        0x1080 => "Encryption controller",
        0x1101 => "Performance counters",
        0x1180 => "Signal processing controller",
        0x1200 => "Processing accelerators",
        0x1300 => "Non-Essential Instrumentation",
        _ => null,
    };

    private static string? BaseName(byte baseClass) => baseClass switch
    {
        0x00 => "Non-VGA unclassified device",
        0x01 => "Mass storage controller",
        0x02 => "Network controller",
        0x03 => "Display controller",
        0x04 => "Multimedia controller",
        0x05 => "Memory controller",
        0x06 => "Bridge",
        0x07 => "Communication controller",
        0x08 => "Generic system peripheral",
        0x09 => "Input device controller",
        0x0c => "Serial bus controller",
        0x0d => "Wireless controller",
        0x10 => "Encryption controller",
        0x11 => "Signal processing controller",
        0x12 => "Processing accelerators",
        0xff => "Unassigned class",
        _ => null,
    };
}
