using VfioKit.Diagnostics;
using VfioKit.Libvirt;
using VfioKit.Rules;

namespace VfioKit.Fleet;

/// <summary>
/// Lints every domain on many libvirt hosts at once: a bounded pool of read-only connections (one per host at
/// a time, at most <c>connections</c> open), each host's domains read over its connection and linted on every
/// core. A host that cannot be reached is a result with its error, never an exception: the others go on.
/// </summary>
public static class FleetLint
{
    /// <param name="uris">libvirt URIs; an empty string is libvirt's default (LIBVIRT_DEFAULT_URI).</param>
    /// <param name="hostDone">Called (from any thread) as each host finishes, for a progress display.</param>
    public static IReadOnlyList<FleetHost> Run(IReadOnlyList<string> uris, int connections, LintOptions options, bool live,
        Action<FleetHost>? hostDone = null)
    {
        var results = new FleetHost[uris.Count];
        Parallel.For(0, uris.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, connections) }, i =>
        {
            results[i] = Host(uris[i], options, live);
            hostDone?.Invoke(results[i]);
        });
        return results;
    }

    /// <summary>One host: its domains' XML read in turn over one connection, then linted in parallel.</summary>
    public static FleetHost Host(string uri, LintOptions options, bool live)
    {
        var read = new List<(LibvirtDomainName Domain, string? Xml, string? Error)>();
        string actual;
        try
        {
            using var connection = LibvirtConnection.Open(uri, readOnly: true);
            actual = connection.Uri;
            foreach (var d in connection.Domains())
            {
                try { read.Add((d, connection.DomainXml(d.Uuid, inactive: !live), null)); }
                catch (InputException e) { read.Add((d, null, e.Describe())); } // undefined since it was listed
            }
        }
        catch (LibvirtException e)
        {
            return new FleetHost(uri, [], e.Message);
        }
        var domains = read.AsParallel().AsOrdered().Select(r => r.Xml is null
            ? new FleetDomain(r.Domain, null, r.Error)
            : Lint(actual, r.Domain, r.Xml, options)).ToList();
        // The default URI ("") is reported as what libvirt resolved it to.
        return new FleetHost(uri.Length == 0 ? actual : uri, domains, null);
    }

    private static FleetDomain Lint(string uri, LibvirtDomainName domain, string xml, LintOptions options)
    {
        try { return new FleetDomain(domain, Linter.Lint(LibvirtDocument.Of(uri, domain.Name, xml), options), null); }
        catch (InputException e) { return new FleetDomain(domain, null, e.Describe()); }
    }
}
