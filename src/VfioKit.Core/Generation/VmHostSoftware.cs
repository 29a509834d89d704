namespace VfioKit.Generation;

/// <summary>
/// What `new` needs of the software on the machine that will run the VM: the q35 machine type its QEMU offers
/// and its OVMF files. Taken from the host root; a snapshot root has sysfs and procfs but no QEMU to ask (and a
/// binary in a snapshot is never run), and may lack OVMF, so what comes from this machine instead is named in
/// <see cref="Notes"/>, which the generated file carries.
/// </summary>
public sealed record VmHostSoftware(string MachineType, OvmfFirmware Firmware, IReadOnlyList<string> Notes)
{
    /// <param name="root">`/` or a host snapshot.</param>
    /// <param name="localMachineType">Asks this machine's QEMU (<see cref="QemuMachineTypes.Query"/>); a parameter so tests
    /// need no QEMU.</param>
    public static VmHostSoftware Find(string root, Func<string> localMachineType)
    {
        var full = Path.GetFullPath(string.IsNullOrEmpty(root) ? "/" : root);
        var machineType = localMachineType();
        if (full == "/") return new VmHostSoftware(machineType, OvmfFirmware.Find("/"), []);

        var notes = new List<string>
        {
            // Worded without a QEMU binary name or option: a Proxmox config carries the notes as comments, and format
            // detection still looks for those as substrings.
            $"machine type {machineType} is what this machine's QEMU offers, not the host of {full} (a snapshot holds no QEMU to ask): check the machine types QEMU lists there",
        };
        var firmware = OvmfFirmware.Find(full);
        if (!firmware.Found && OvmfFirmware.Find("/") is { Found: true } local)
        {
            firmware = local;
            notes.Add($"OVMF paths {local.Code} and {local.VarsTemplate} are this machine's: {full} has no OVMF files");
        }
        return new VmHostSoftware(machineType, firmware, notes);
    }
}
