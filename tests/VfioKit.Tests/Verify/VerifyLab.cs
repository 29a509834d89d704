namespace VfioKit.Tests.Verify;

/// <summary>
/// The lab guests in Data/guests were booted with QEMU models standing in for passed GPU functions
/// (e1000e as fn0, nvme as fn1, the probe's stand-ins). Their configuration as the user wrote it is the
/// same command line with vfio-pci in those places: what verify is given with --config.
/// </summary>
internal static class VerifyLab
{
    public static string Guest(string name, string file) => TestPaths.DataFile("guests", name, file);

    /// <summary>Writes the guest's qemu.args with fn0/fn1 as vfio-pci of host 0000:00:03.0/.1 and returns its path.</summary>
    public static string VfioConfig(TempDirectory dir, string guest, string host0 = "0000:00:03.0", string host1 = "0000:00:03.1")
    {
        var lines = File.ReadAllLines(Guest(guest, "qemu.args")).Select(l =>
            l.StartsWith("e1000e,id=fn0,", StringComparison.Ordinal) ? $"vfio-pci,host={host0},id=fn0," + l["e1000e,id=fn0,".Length..]
            : l.StartsWith("nvme,id=fn1,serial=vk0,drive=nvme0,", StringComparison.Ordinal) ? $"vfio-pci,host={host1},id=fn1," + l["nvme,id=fn1,serial=vk0,drive=nvme0,".Length..]
            : l);
        var path = Path.Combine(dir.Path, guest + ".args");
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>A real host snapshot (a lab guest's sysfs) whose 0000:00:03.0 is a pcie-root-port: LnkCap 16GT/s x32.</summary>
    public static string Host => TestPaths.DataFile("hosts", "q35-gpu-iommu");
}
