using System.Runtime.InteropServices;
using VfioKit.Files;
using VfioKit.Host;
using VfioKit.Interop;

namespace VfioKit.Probe;

/// <summary>
/// Whether /dev/kvm can run a guest for this user: it opens read-write, answers KVM_GET_API_VERSION with 12
/// (the only stable API version), and creates a VM (KVM_CREATE_VM, closed at once). A node that exists but
/// fails one of these (no permission, a container's stub, nested virtualization turned off) is reported
/// with the step that failed, so the probe falls back to TCG instead of failing at QEMU's start; so is a KVM that
/// cannot boot an ordinary guest kernel (PVM).
/// </summary>
public static class KvmDevice
{
    public const string DefaultPath = "/dev/kvm";
    private const nuint GetApiVersion = 0xAE00; // _IO(KVMIO=0xAE, 0x00)
    private const nuint CreateVm = 0xAE01;      // _IO(KVMIO, 0x01)
    private const int StableApiVersion = 12;

    /// <summary>Null when KVM works at <paramref name="path"/>; otherwise why not, in one phrase.</summary>
    public static string? WhyUnusable(string path = DefaultPath)
    {
        if (!File.Exists(path)) return $"no {path}";
        try
        {
            using var kvm = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            var version = Ioctl.Call(kvm, GetApiVersion, 0);
            if (version < 0) return $"{path}: KVM_GET_API_VERSION failed ({Marshal.GetLastPInvokeErrorMessage()})";
            if (version != StableApiVersion) return $"{path}: KVM API version {version}, not {StableApiVersion}";
            var vm = Ioctl.Call(kvm, CreateVm, 0);
            if (vm < 0) return $"{path}: KVM_CREATE_VM failed ({Marshal.GetLastPInvokeErrorMessage()})";
            FileDescriptors.Close(vm);
            return IsPvm() ? $"{path} is PVM (kvm_pvm, no VT-x/AMD-V), which boots only guest kernels built for it" : null;
        }
        catch (UnauthorizedAccessException) { return $"{path} is not readable and writable by this user (add it to group kvm)"; }
        catch (IOException e) { return $"{path} cannot be opened: {e.Message}"; }
    }

    /// <summary>Whether this kernel's KVM is PVM alone (<see cref="KernelModules.KvmIsPvm"/>), its modules read as
    /// the host model reads them.</summary>
    /// <param name="root">Where /proc and /sys are: / on this machine.</param>
    public static bool IsPvm(string root = "/") => ProcReader.Modules(new SysfsRoot(root), []).KvmIsPvm;
}
