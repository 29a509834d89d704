namespace VfioKit.Host;

/// <summary>Who holds a GPU function: vfio-pci (ready for a VM), a host GPU driver, or nobody.</summary>
public enum DriverState
{
    None,
    VfioPci,
    Amdgpu,
    Radeon,
    Nvidia,
    Nouveau,
    I915,
    Xe,
    /// <summary>Placeholder drivers that leave a device free for vfio (pci-stub).</summary>
    PciStub,
    Other,
}

public static class DriverStates
{
    public static DriverState Of(string? driver) => driver switch
    {
        null or "" => DriverState.None,
        "vfio-pci" => DriverState.VfioPci,
        "amdgpu" => DriverState.Amdgpu,
        "radeon" => DriverState.Radeon,
        "nvidia" => DriverState.Nvidia,
        "nouveau" => DriverState.Nouveau,
        "i915" => DriverState.I915,
        "xe" => DriverState.Xe,
        "pci-stub" => DriverState.PciStub,
        _ => DriverState.Other,
    };

    /// <summary>True for drivers a VM can take the device from without unbinding a host driver.</summary>
    public static bool IsFreeForVfio(this DriverState state) => state is DriverState.VfioPci or DriverState.PciStub or DriverState.None;
}
