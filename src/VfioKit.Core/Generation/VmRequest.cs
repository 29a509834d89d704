using VfioKit.Planning;
using VfioKit.Rules;

namespace VfioKit.Generation;

/// <summary>What the user asked `vfiokit new` for. Texts are as given (slots or functions); the builder resolves them
/// against the host and names the option in every error.</summary>
/// <param name="Gpus">--gpu: a slot (0000:0b:00, all its functions) or one function (0000:0b:00.0).</param>
/// <param name="Devices">--device: other host functions to pass, each behind its own root port.</param>
/// <param name="DiskPath">--disk: an existing image or block device; null with <paramref name="DiskSizeBytes"/> for a new qcow2.</param>
/// <param name="Force">Pass a GPU whose IOMMU group is not viable, or the boot GPU, anyway.</param>
/// <param name="HideKvm">Hide KVM and spoof the Hyper-V vendor id: only for NVIDIA drivers older than R465.</param>
public sealed record VmRequest(
    IReadOnlyList<string> Gpus,
    long MemoryBytes,
    int Vcpus,
    string Name = "vfio-vm",
    GuestOs Os = GuestOs.Windows,
    IReadOnlyList<string>? Devices = null,
    LookingGlassResolution? LookingGlass = null,
    HugePageChoice HugePages = HugePageChoice.Auto,
    string? DiskPath = null,
    long? DiskSizeBytes = null,
    FirmwareKind Firmware = FirmwareKind.Ovmf,
    bool Force = false,
    bool HideKvm = false);
