using VfioKit.Formats;
using VfioKit.Rules;

namespace VfioKit.Libvirt;

/// <summary>A domain's XML read from libvirt as a document lint and fix take; its path names the connection and
/// the domain (qemu:///system/win11) where a file's path would be.</summary>
public static class LibvirtDocument
{
    public static string PathOf(string uri, string domain) => uri.EndsWith('/') ? uri + domain : uri + "/" + domain;

    public static ConfigDocument Of(string uri, string domain, string xml) => new(PathOf(uri, domain), xml, ConfigFormat.Libvirt);
}
