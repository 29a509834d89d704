using System.Runtime.InteropServices;

namespace VfioKit.Interop;

/// <summary>
/// The few entry points of libvirt's C library (libvirt.so.0, Debian package libvirt0) vfiokit calls, with the
/// signatures of include/libvirt/libvirt-host.h, libvirt-domain.h, libvirt-nodedev.h and virterror.h (libvirt 9.0).
/// Pointers stay IntPtr: every string libvirt returns as <c>char *</c> is the caller's to free(3); a <c>const char *</c>
/// belongs to libvirt. Only <see cref="VfioKit.Libvirt.LibvirtConnection"/> calls these.
/// </summary>
internal static unsafe partial class Libvirt
{
    public const string Library = "libvirt.so.0";

    // libvirt-host.h
    public const uint ConnectReadOnly = 1 << 0;          // VIR_CONNECT_RO
    public const int UuidStringBufLen = 36 + 1;          // VIR_UUID_STRING_BUFLEN
    // libvirt-domain.h
    public const uint DomainXmlInactive = 1 << 1;        // VIR_DOMAIN_XML_INACTIVE
    public const uint DomainDefineValidate = 1 << 0;     // VIR_DOMAIN_DEFINE_VALIDATE
    public const uint DomainUndefineKeepNvram = 1 << 3;  // VIR_DOMAIN_UNDEFINE_KEEP_NVRAM
    // libvirt-nodedev.h
    public const uint ListNodeDevicesPci = 1 << 1;       // VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV
    // virterror.h
    public const int ErrNoDomain = 42;                   // VIR_ERR_NO_DOMAIN

    [LibraryImport(Library, EntryPoint = "virInitialize")]
    public static partial int Initialize();

    [LibraryImport(Library, EntryPoint = "virSetErrorFunc")]
    public static partial void SetErrorFunc(IntPtr userData, delegate* unmanaged[Cdecl]<IntPtr, IntPtr, void> handler);

    [LibraryImport(Library, EntryPoint = "virGetLastErrorMessage")]
    public static partial IntPtr GetLastErrorMessage();

    [LibraryImport(Library, EntryPoint = "virGetLastErrorCode")]
    public static partial int GetLastErrorCode();

    [LibraryImport(Library, EntryPoint = "virResetLastError")]
    public static partial void ResetLastError();

    [LibraryImport(Library, EntryPoint = "virConnectOpenAuth", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ConnectOpenAuth(string? name, IntPtr auth, uint flags);

    [LibraryImport(Library, EntryPoint = "virConnectClose")]
    public static partial int ConnectClose(IntPtr conn);

    [LibraryImport(Library, EntryPoint = "virConnectGetURI")]
    public static partial IntPtr ConnectGetUri(IntPtr conn);

    [LibraryImport(Library, EntryPoint = "virConnectGetCapabilities")]
    public static partial IntPtr ConnectGetCapabilities(IntPtr conn);

    [LibraryImport(Library, EntryPoint = "virConnectListAllDomains")]
    public static partial int ConnectListAllDomains(IntPtr conn, out IntPtr domains, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainLookupByName", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DomainLookupByName(IntPtr conn, string name);

    [LibraryImport(Library, EntryPoint = "virDomainLookupByUUIDString", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DomainLookupByUuidString(IntPtr conn, string uuid);

    [LibraryImport(Library, EntryPoint = "virDomainGetName")]
    public static partial IntPtr DomainGetName(IntPtr domain);

    [LibraryImport(Library, EntryPoint = "virDomainGetUUIDString")]
    public static partial int DomainGetUuidString(IntPtr domain, byte* buffer);

    /// <summary>The domain's id as the handle carries it (no round trip: the remote driver sends it with every
    /// handle); (unsigned)-1 for a domain that was not running when the handle was made.</summary>
    [LibraryImport(Library, EntryPoint = "virDomainGetID")]
    public static partial uint DomainGetId(IntPtr domain);

    [LibraryImport(Library, EntryPoint = "virDomainGetXMLDesc")]
    public static partial IntPtr DomainGetXmlDesc(IntPtr domain, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainDefineXMLFlags", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr DomainDefineXmlFlags(IntPtr conn, string xml, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainUndefineFlags")]
    public static partial int DomainUndefineFlags(IntPtr domain, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainFree")]
    public static partial int DomainFree(IntPtr domain);

    [LibraryImport(Library, EntryPoint = "virConnectListAllNodeDevices")]
    public static partial int ConnectListAllNodeDevices(IntPtr conn, out IntPtr devices, uint flags);

    [LibraryImport(Library, EntryPoint = "virNodeDeviceGetName")]
    public static partial IntPtr NodeDeviceGetName(IntPtr device);

    [LibraryImport(Library, EntryPoint = "virNodeDeviceGetXMLDesc")]
    public static partial IntPtr NodeDeviceGetXmlDesc(IntPtr device, uint flags);

    [LibraryImport(Library, EntryPoint = "virNodeDeviceFree")]
    public static partial int NodeDeviceFree(IntPtr device);

    [LibraryImport(Library, EntryPoint = "virConnectGetDomainCapabilities", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ConnectGetDomainCapabilities(IntPtr conn, string? emulatorBin, string? arch, string? machine, string? virtType, uint flags);

    [LibraryImport(Library, EntryPoint = "virNodeGetFreePages")]
    public static partial int NodeGetFreePages(IntPtr conn, uint npages, uint* pages, int startCell, uint cellCount, ulong* counts, uint flags);

    [LibraryImport(Library, EntryPoint = "virNodeGetCellsFreeMemory")]
    public static partial int NodeGetCellsFreeMemory(IntPtr conn, ulong* freeMems, int startCell, int maxCells);

    [LibraryImport(Library, EntryPoint = "virConnectDomainXMLToNative", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ConnectDomainXmlToNative(IntPtr conn, string nativeFormat, string domainXml, uint flags);

    /// <summary>free(3), for the strings and arrays libvirt hands over.</summary>
    [LibraryImport("libc", EntryPoint = "free")]
    public static partial void Free(IntPtr pointer);
}
