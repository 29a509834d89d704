using VfioKit.Diagnostics;
using VfioKit.Libvirt;
using VfioKit.Rules;

namespace VfioKit.Fleet;

/// <summary>
/// Lints every domain on many libvirt hosts at once: a bounded pool of read-only connections (one per host at
/// a time, at most <c>connections</c> open), each host's domains read over its connection several at a time and
/// linted as they arrive. A host that cannot be reached is a result with its error, never an exception: the others go on.
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

    /// <summary>How many of a host's domains are read and linted at once over its one connection: libvirtd serves
    /// up to 5 calls of one client at a time (max_client_requests' default), and a few more threads keep both cores
    /// linting while others wait on a round trip.</summary>
    public const int CallsPerHost = 6;

    /// <summary>One host: its domains listed once, each one's XML read over the host's connection by
    /// <see cref="CallsPerHost"/> threads and linted by the thread that read it, as it arrives.</summary>
    public static FleetHost Host(string uri, LintOptions options, bool live)
    {
        try
        {
            using var connection = LibvirtConnection.Open(uri, readOnly: true);
            var actual = connection.Uri;
            var domains = connection.EachDomainXml(inactive: !live, CallsPerHost,
                (d, xml) => Lint(actual, d, xml, options),
                (d, e) => new FleetDomain(d, null, e.Describe())); // undefined since it was listed
            // The default URI ("") is reported as what libvirt resolved it to.
            return new FleetHost(uri.Length == 0 ? actual : uri, domains, null);
        }
        catch (LibvirtException e)
        {
            return new FleetHost(uri, [], e.Message);
        }
    }

    private static FleetDomain Lint(string uri, LibvirtDomainName domain, string xml, LintOptions options)
    {
        try { return new FleetDomain(domain, Linter.Lint(LibvirtDocument.Of(uri, domain.Name, xml), options), null); }
        catch (InputException e) { return new FleetDomain(domain, null, e.Describe()); }
    }
}
