using VfioKit.Host.Cpu;

namespace VfioKit.Runtime;

/// <summary>
/// Which processes pin may change (docs/pin.md, "Safety"): never PID 1 or vfiokit itself; through --qmp only a
/// QEMU (its /proc/PID/exe named qemu-system-* or qemu-kvm) that is the socket's peer. --pid names the process
/// explicitly, so its executable is not checked.
/// </summary>
public static class PinTarget
{
    /// <summary>Null when <paramref name="pid"/> may be pinned, else why not.</summary>
    public static string? Refusal(int pid, SysfsText fs, bool mustBeQemu)
    {
        if (pid <= 0) return $"process {pid} is not visible from here (another PID namespace?)";
        if (pid == 1) return "process 1 is init; vfiokit never pins it";
        if (pid == Environment.ProcessId) return $"process {pid} is vfiokit itself; nothing to pin";
        if (!mustBeQemu) return null;
        var exe = Executable(pid, fs);
        if (exe is null) return $"cannot read /proc/{pid}/exe to check that process {pid} is QEMU (run as root, or give --pid {pid} to pin it anyway)";
        return IsQemu(exe) ? null
            : $"process {pid} at the other end of the socket runs {exe}, not QEMU (qemu-system-* or qemu-kvm); nothing pinned (give --pid {pid} to pin it anyway)";
    }

    public static bool IsQemu(string executable)
    {
        var name = Path.GetFileName(executable.EndsWith(" (deleted)", StringComparison.Ordinal) ? executable[..^" (deleted)".Length] : executable);
        return name.StartsWith("qemu-system", StringComparison.Ordinal) || name == "qemu-kvm";
    }

    private static string? Executable(int pid, SysfsText fs)
    {
        try { return new FileInfo(fs.PathOf($"proc/{pid}/exe")).LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
