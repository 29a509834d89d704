using System.Runtime.InteropServices;
using VfioKit.Diagnostics;
using Native = VfioKit.Interop.Libvirt;

namespace VfioKit.Libvirt;

/// <summary>
/// One connection to libvirt through its C library (virConnectOpenAuth), as virsh opens one: the URI as libvirt
/// takes it (qemu:///system, qemu+ssh://host/system, test:///default), or null for libvirt's default
/// (LIBVIRT_DEFAULT_URI, then its client configuration). Read-only where reading is enough. Every failure is a
/// <see cref="LibvirtException"/> carrying libvirt's own last error and the URI; a domain that does not exist
/// is an <see cref="InputException"/> naming it. Not for concurrent use by callers (<see cref="EachDomainXml{T}"/>
/// runs its own threads): libvirt's last error is per thread, and each call reads it right after failing.
/// </summary>
public sealed class LibvirtConnection : IDisposable
{
    private IntPtr handle;

    private LibvirtConnection(IntPtr handle, string? requested, string uri)
    {
        this.handle = handle;
        Requested = requested;
        Uri = uri;
    }

    /// <summary>The URI libvirt connected to (virConnectGetURI: the default resolved).</summary>
    public string Uri { get; }

    /// <summary>The URI as given, null for the default.</summary>
    public string? Requested { get; }

    public static LibvirtConnection Open(string? uri, bool readOnly)
    {
        LibvirtLibrary.EnsureLoaded();
        Native.ResetLastError();
        var conn = Native.ConnectOpenAuth(string.IsNullOrEmpty(uri) ? null : uri, IntPtr.Zero, readOnly ? Native.ConnectReadOnly : 0);
        if (conn == IntPtr.Zero) throw Failure(uri, "cannot connect");
        var actual = TakeString(Native.ConnectGetUri(conn)) ?? uri ?? "";
        return new LibvirtConnection(conn, uri, actual);
    }

    /// <summary>Every domain, running and defined (virConnectListAllDomains with no filter), sorted by name.</summary>
    public IReadOnlyList<LibvirtDomainName> Domains()
    {
        var (array, listed) = ListAll();
        try { return Array.ConvertAll(listed, l => l.Domain); }
        finally { FreeListing(array, listed.Length); }
    }

    /// <summary>
    /// Every domain (one virConnectListAllDomains) and its XML, in name order: each virDomainGetXMLDesc is made on
    /// the handle the listing returned (no lookup by name or UUID, and whether it runs from the id the handle
    /// carries), by <paramref name="parallel"/> threads at once over this one
    /// connection. libvirt's client multiplexes calls from several threads on a connection and libvirtd serves one
    /// client's calls on its worker threads (max_client_requests, 5 by default), so the round trips overlap each
    /// other and whatever <paramref name="read"/> does with the XML (it runs on the worker that fetched it).
    /// <paramref name="gone"/> takes a domain undefined between the listing and its read. Any other libvirt failure
    /// stops the whole listing as a <see cref="LibvirtException"/>.
    /// </summary>
    public IReadOnlyList<T> EachDomainXml<T>(bool inactive, int parallel, Func<LibvirtDomainName, string, T> read,
        Func<LibvirtDomainName, InputException, T> gone)
    {
        var (array, listed) = ListAll();
        try
        {
            var results = new T[listed.Length];
            DomainWorkers.Run(listed.Length, parallel, i =>
            {
                var (d, domain) = listed[i];
                string xml;
                try
                {
                    Native.ResetLastError();
                    xml = XmlOf(d, domain.Uuid, inactive);
                }
                catch (InputException e)
                {
                    results[i] = gone(domain, e);
                    return;
                }
                results[i] = read(domain, xml);
            });
            return results;
        }
        finally { FreeListing(array, listed.Length); }
    }

    /// <summary>One virConnectListAllDomains: each domain's handle and description, sorted by name. The caller frees
    /// the handles and the array with <see cref="FreeListing"/>; a failure while describing frees them here.</summary>
    private (IntPtr Array, (IntPtr Handle, LibvirtDomainName Domain)[] Listed) ListAll()
    {
        Native.ResetLastError();
        var n = Native.ConnectListAllDomains(Live, out var array, 0);
        if (n < 0) throw Failure(Uri, "cannot list domains");
        try
        {
            var listed = new (IntPtr Handle, LibvirtDomainName Domain)[n];
            for (var i = 0; i < n; i++)
            {
                var d = Marshal.ReadIntPtr(array, i * IntPtr.Size);
                listed[i] = (d, Describe(d));
            }
            Array.Sort(listed, (a, b) => string.CompareOrdinal(a.Domain.Name, b.Domain.Name));
            return (array, listed);
        }
        catch
        {
            FreeListing(array, n);
            throw;
        }
    }

    private static void FreeListing(IntPtr array, int n)
    {
        for (var i = 0; i < n; i++) Native.DomainFree(Marshal.ReadIntPtr(array, i * IntPtr.Size));
        Native.Free(array);
    }

    /// <summary>The domain named <paramref name="nameOrUuid"/> (a name, or a UUID as virsh takes it).</summary>
    public LibvirtDomainName Domain(string nameOrUuid) => WithDomain(nameOrUuid, d => Describe(d));

    /// <summary>The domain's XML: the persistent definition (<paramref name="inactive"/>, what `define` changes;
    /// a transient domain has only its live one) or the running one.</summary>
    public string DomainXml(string nameOrUuid, bool inactive) => WithDomain(nameOrUuid, d => XmlOf(d, nameOrUuid, inactive));

    /// <summary>The domain as libvirt lists it and its XML (as <see cref="DomainXml"/>), from one lookup.</summary>
    public (LibvirtDomainName Domain, string Xml) DomainWithXml(string nameOrUuid, bool inactive) =>
        WithDomain(nameOrUuid, d => (Describe(d), XmlOf(d, nameOrUuid, inactive)));

    private string XmlOf(IntPtr d, string nameOrUuid, bool inactive) =>
        TakeString(Native.DomainGetXmlDesc(d, inactive ? Native.DomainXmlInactive : 0))
            ?? throw (Native.GetLastErrorCode() == Native.ErrNoDomain
                // undefined between the lookup and the read (another client): the domain is gone, not the host
                ? new InputException(nameOrUuid, $"no domain with this name or UUID on {Uri}")
                : Failure(Uri, $"cannot read the XML of domain '{nameOrUuid}'"));

    /// <summary>Defines (or redefines, by its UUID) a domain from XML; with <paramref name="validate"/> libvirt checks
    /// it against its RNG schema first (VIR_DOMAIN_DEFINE_VALIDATE). Returns the domain as libvirt now lists it.</summary>
    public LibvirtDomainName Define(string xml, bool validate)
    {
        Native.ResetLastError();
        var d = Native.DomainDefineXmlFlags(Live, xml, validate ? Native.DomainDefineValidate : 0);
        if (d == IntPtr.Zero) throw Failure(Uri, "libvirt refused the domain XML");
        try { return Describe(d); }
        finally { Native.DomainFree(d); }
    }

    /// <summary>Removes a domain's persistent definition (virDomainUndefineFlags) and never a file: without flags libvirt
    /// deletes no NVRAM (it refuses when one exists), and then KEEP_NVRAM undefines and keeps it. Only what vfiokit itself
    /// just defined is undefined; a variable store it did not write is not its to delete.</summary>
    public void Undefine(string nameOrUuid) => WithDomain(nameOrUuid, d =>
    {
        Native.ResetLastError();
        if (Native.DomainUndefineFlags(d, 0) == 0) return 0;
        Native.ResetLastError();
        if (Native.DomainUndefineFlags(d, Native.DomainUndefineKeepNvram) < 0) throw Failure(Uri, $"cannot undefine domain '{nameOrUuid}'");
        return 0;
    });

    /// <summary>The host's capabilities XML (virConnectGetCapabilities): NUMA cells, CPUs, caches, huge pages.</summary>
    public string Capabilities() =>
        TakeString(Native.ConnectGetCapabilities(Live)) ?? throw Failure(Uri, "cannot read the capabilities");

    /// <summary>The host's PCI devices as libvirt's node device driver describes them (IOMMU group, NUMA node,
    /// driver, PCIe link capability and status), sorted by name.</summary>
    public IReadOnlyList<LibvirtNodeDevice> PciDevices()
    {
        var n = Native.ConnectListAllNodeDevices(Live, out var array, Native.ListNodeDevicesPci);
        if (n < 0) throw Failure(Uri, "cannot list node devices");
        var devices = new List<LibvirtNodeDevice>(n);
        try
        {
            for (var i = 0; i < n; i++)
            {
                var dev = Marshal.ReadIntPtr(array, i * IntPtr.Size);
                var name = Marshal.PtrToStringUTF8(Native.NodeDeviceGetName(dev)) ?? throw Failure(Uri, "cannot name a node device");
                var xml = TakeString(Native.NodeDeviceGetXmlDesc(dev, 0)) ?? throw Failure(Uri, $"cannot read node device {name}");
                devices.Add(new LibvirtNodeDevice(name, xml));
            }
        }
        finally
        {
            for (var i = 0; i < n; i++) Native.NodeDeviceFree(Marshal.ReadIntPtr(array, i * IntPtr.Size));
            Native.Free(array);
        }
        devices.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return devices;
    }

    /// <summary>What the host's hypervisor offers a domain of this architecture, machine and type
    /// (virConnectGetDomainCapabilities): firmware loaders, devices, features.</summary>
    public string DomainCapabilities(string arch, string machine, string virtType)
    {
        Native.ResetLastError();
        return TakeString(Native.ConnectGetDomainCapabilities(Live, null, arch, machine, virtType, 0))
            ?? throw Failure(Uri, $"cannot read the domain capabilities for {arch} {machine} {virtType}");
    }

    /// <summary>Free pages of each size on each NUMA cell (virNodeGetFreePages): result[cell][size], in the order
    /// given; <paramref name="pageSizesKiB"/> as the capabilities list them.</summary>
    public long[][] FreePages(IReadOnlyList<long> pageSizesKiB, IReadOnlyList<int> cells)
    {
        var result = new long[cells.Count][];
        if (pageSizesKiB.Count == 0) return [.. cells.Select(_ => Array.Empty<long>())];
        var sizes = pageSizesKiB.Select(s => checked((uint)s)).ToArray();
        var counts = new ulong[sizes.Length];
        for (var i = 0; i < cells.Count; i++)
        {
            Native.ResetLastError();
            int n;
            unsafe
            {
                fixed (uint* pages = sizes)
                fixed (ulong* c = counts)
                    n = Native.NodeGetFreePages(Live, (uint)sizes.Length, pages, cells[i], 1, c, 0);
            }
            if (n < 0) throw Failure(Uri, $"cannot read the free pages of NUMA cell {cells[i]}");
            result[i] = [.. counts.Select(c => (long)c)];
        }
        return result;
    }

    /// <summary>Free memory in bytes of each NUMA cell (virNodeGetCellsFreeMemory), in the order given.</summary>
    public long[] CellsFreeMemory(IReadOnlyList<int> cells)
    {
        var result = new long[cells.Count];
        for (var i = 0; i < cells.Count; i++)
        {
            Native.ResetLastError();
            ulong free;
            int n;
            unsafe { n = Native.NodeGetCellsFreeMemory(Live, &free, cells[i], 1); }
            if (n != 1) throw Failure(Uri, $"cannot read the free memory of NUMA cell {cells[i]}");
            result[i] = (long)free;
        }
        return result;
    }

    /// <summary>libvirt's own QEMU command line for a domain XML (virConnectDomainXMLToNative, format qemu-argv);
    /// libvirt allows it on a read-write connection only.</summary>
    public string ToNative(string domainXml)
    {
        Native.ResetLastError();
        return TakeString(Native.ConnectDomainXmlToNative(Live, "qemu-argv", domainXml, 0))
            ?? throw Failure(Uri, "cannot convert the domain XML to a QEMU command line");
    }

    /// <summary>
    /// One guest agent command (JSON) to a running domain through libvirt's own channel to its agent
    /// (virDomainQemuAgentCommand, libvirt-qemu.so.0; libvirt does the guest-sync). Returns the agent's whole answer
    /// (<c>{"return": ...}</c>). libvirt waits <paramref name="timeoutSeconds"/> for the answer. Needs a read-write
    /// connection. A failure is a <see cref="LibvirtException"/> whose <see cref="LibvirtException.Code"/> tells why.
    /// </summary>
    public string QemuAgentCommand(string nameOrUuid, string command, int timeoutSeconds)
    {
        LibvirtLibrary.EnsureQemuLoaded();
        return WithDomain(nameOrUuid, d =>
        {
            Native.ResetLastError();
            return TakeString(VfioKit.Interop.LibvirtQemu.DomainQemuAgentCommand(d, command, timeoutSeconds, 0))
                ?? throw Failure(Uri, $"guest agent command to domain '{nameOrUuid}' failed");
        });
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) Native.ConnectClose(h);
    }

    private IntPtr Live => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(LibvirtConnection));

    private T WithDomain<T>(string nameOrUuid, Func<IntPtr, T> use)
    {
        Native.ResetLastError();
        var d = Guid.TryParse(nameOrUuid, out _) ? Native.DomainLookupByUuidString(Live, nameOrUuid) : IntPtr.Zero;
        if (d == IntPtr.Zero) d = Native.DomainLookupByName(Live, nameOrUuid);
        if (d == IntPtr.Zero)
        {
            if (Native.GetLastErrorCode() == Native.ErrNoDomain)
                throw new InputException(nameOrUuid, $"no domain with this name or UUID on {Uri}");
            throw Failure(Uri, $"cannot look up domain '{nameOrUuid}'");
        }
        try { return use(d); }
        finally { Native.DomainFree(d); }
    }

    /// <summary>Name, UUID and whether the domain runs, all from the handle: libvirt fills in a handle's id (-1 for a
    /// domain that does not run) in the listing or lookup that made it, so no virDomainIsActive round trip.</summary>
    private LibvirtDomainName Describe(IntPtr d)
    {
        var name = Marshal.PtrToStringUTF8(Native.DomainGetName(d)) ?? throw Failure(Uri, "cannot name a domain");
        string uuid;
        unsafe
        {
            var buffer = stackalloc byte[Native.UuidStringBufLen];
            if (Native.DomainGetUuidString(d, buffer) < 0) throw Failure(Uri, $"cannot read the UUID of domain '{name}'");
            uuid = Marshal.PtrToStringUTF8((IntPtr)buffer) ?? "";
        }
        return new LibvirtDomainName(name, uuid, Native.DomainGetId(d) != uint.MaxValue);
    }

    /// <summary>A string libvirt allocated, copied and freed; null for NULL.</summary>
    private static string? TakeString(IntPtr p)
    {
        if (p == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(p); }
        finally { Native.Free(p); }
    }

    /// <summary>libvirt's last error on this thread, with the URI (or "the default URI") named.</summary>
    private static LibvirtException Failure(string? uri, string what)
    {
        var message = Marshal.PtrToStringUTF8(Native.GetLastErrorMessage());
        var code = Native.GetLastErrorCode();
        var where = string.IsNullOrEmpty(uri) ? "libvirt's default URI" : uri;
        return new LibvirtException($"{where}: {what}: {(string.IsNullOrEmpty(message) ? "no error reported by libvirt" : message)}", uri, code);
    }
}
