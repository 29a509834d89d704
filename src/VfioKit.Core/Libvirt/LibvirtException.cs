namespace VfioKit.Libvirt;

/// <summary>
/// libvirt failed: its own last error (virGetLastErrorMessage) with the connection URI named, or the library
/// itself could not be loaded. The CLI exits 3 (a tool vfiokit needs is missing or failed).
/// </summary>
public sealed class LibvirtException(string message, string? uri, int code, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The connection URI as given (null: libvirt's default), or null when the library did not load.</summary>
    public string? Uri { get; } = uri;

    /// <summary>libvirt's virErrorNumber (virterror.h); 0 when the library did not load.</summary>
    public int Code { get; } = code;
}
