using VfioKit.Diagnostics;
using VfioKit.Libvirt;
using VfioKit.Rules;

namespace VfioKit.Cli.Lint;

/// <summary>The domains `lint --connect` and `fix --connect` name (or --all of them), read from libvirt as documents.</summary>
internal static class LibvirtDomains
{
    public static IReadOnlyList<ConfigDocument> Read(string uri, IReadOnlyList<string> names, bool all, bool live)
    {
        if (all && names.Count > 0) throw new InputException("--all", "give domain names or --all, not both");
        if (!all && names.Count == 0) throw new InputException("--connect", "name the domains to lint (names or UUIDs), or give --all");
        using var connection = LibvirtConnection.Open(uri, readOnly: true);
        var targets = all ? connection.Domains().Select(d => d.Uuid).ToList() : names;
        return targets.Select(n =>
        {
            var (domain, xml) = connection.DomainWithXml(n, inactive: !live);
            return LibvirtDocument.Of(connection.Uri, domain.Name, xml);
        }).ToList();
    }
}
