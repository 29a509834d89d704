using System.Runtime.InteropServices;
using Native = VfioKit.Interop.Libvirt;

namespace VfioKit.Libvirt;

/// <summary>
/// libvirt.so.0 loaded once per process: a clear error naming Debian's package when it is missing, then
/// virInitialize (libvirt asks for it before threads share connections) and an error handler that keeps
/// libvirt's default one from printing every error to stderr: vfiokit reports them itself.
/// </summary>
public static class LibvirtLibrary
{
    public const string Package = "libvirt0";
    private static readonly Lazy<LibvirtException?> Loaded = new(() => Load(Native.Library), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<LibvirtException?> QemuLoaded = new(() => Probe(VfioKit.Interop.LibvirtQemu.Library), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Throws <see cref="LibvirtException"/> when libvirt cannot be used on this machine.</summary>
    public static void EnsureLoaded()
    {
        if (Loaded.Value is { } missing) throw missing;
    }

    /// <summary>Throws <see cref="LibvirtException"/> when libvirt-qemu.so.0 (the guest agent pass-through) cannot be used.</summary>
    public static void EnsureQemuLoaded()
    {
        EnsureLoaded();
        if (QemuLoaded.Value is { } missing) throw missing;
    }

    /// <summary>Whether the library named <paramref name="soname"/> loads: null, or the error to report.</summary>
    public static LibvirtException? Probe(string soname)
    {
        if (NativeLibrary.TryLoad(soname, out var handle))
        {
            NativeLibrary.Free(handle);
            return null;
        }
        return new LibvirtException($"{soname} cannot be loaded: install Debian's {Package} (apt-get install {Package})", null, 0);
    }

    private static unsafe LibvirtException? Load(string soname)
    {
        if (Probe(soname) is { } missing) return missing;
        if (Native.Initialize() < 0) return new LibvirtException($"{soname}: virInitialize failed", null, 0);
        Native.SetErrorFunc(IntPtr.Zero, &IgnoreError);
        return null;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static void IgnoreError(IntPtr userData, IntPtr error) { }
}
