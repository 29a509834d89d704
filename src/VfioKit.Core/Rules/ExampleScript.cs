namespace VfioKit.Rules;

/// <summary>
/// The QEMU launch script most tuning rules' examples share (q35, 8 GiB, the GPU 0000:0b:00.0 behind a root
/// port): <see cref="ExampleDomain"/>'s counterpart, so an example spells out only the words it is about.
/// </summary>
internal static class ExampleScript
{
    /// <summary>
    /// The script with -cpu <paramref name="cpu"/>, <paramref name="options"/> (" -mem-prealloc") after -m,
    /// <paramref name="vfio"/> (",x-vga=on") appended to the GPU's -device and each of <paramref name="more"/>
    /// (a whole option, "-device ivshmem-plain,...") on a line of its own after it.
    /// </summary>
    public static string Gpu(string cpu = "host", string options = "", string vfio = "", string[]? more = null) =>
        string.Join(" \\\n  ", [
            $"qemu-system-x86_64 -machine q35 -cpu {cpu} -m 8G{options}",
            "-device pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0",
            $"-device vfio-pci,host=0000:0b:00.0,bus=rp1,addr=0x0{vfio}",
            .. more ?? []]);
}
