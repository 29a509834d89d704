namespace VfioKit.Host;

/// <summary>What a function of a GPU's slot is: the display itself or one of the companions that go with it.</summary>
public enum FunctionRole
{
    /// <summary>Class 03xx: VGA, 3D or other display controller.</summary>
    Display,
    /// <summary>Class 0403 beside a display: the HDMI/DisplayPort audio of the card.</summary>
    HdmiAudio,
    /// <summary>Class 0c03: the card's USB (VirtualLink/USB-C) controller.</summary>
    Usb,
    /// <summary>Class 0c80: the card's USB Type-C UCSI controller (serial bus).</summary>
    Ucsi,
    /// <summary>Anything else in the slot; it goes to the VM too.</summary>
    Other,
}

public static class FunctionRoles
{
    public static FunctionRole Of(PciFunction f) => f.ClassAndSubclass switch
    {
        >= 0x0300 and <= 0x03ff => FunctionRole.Display,
        0x0403 => FunctionRole.HdmiAudio,
        0x0c03 => FunctionRole.Usb,
        0x0c80 => FunctionRole.Ucsi,
        _ => FunctionRole.Other,
    };

    /// <summary>How people name the role: "display", "HDMI audio", "USB", "UCSI (USB-C)".</summary>
    public static string Name(this FunctionRole role) => role switch
    {
        FunctionRole.Display => "display",
        FunctionRole.HdmiAudio => "HDMI audio",
        FunctionRole.Usb => "USB",
        FunctionRole.Ucsi => "UCSI (USB-C)",
        _ => "other",
    };
}
