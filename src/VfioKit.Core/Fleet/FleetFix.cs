using VfioKit.Diagnostics;
using VfioKit.Libvirt;
using VfioKit.Linting;

namespace VfioKit.Fleet;

/// <summary>
/// `fleet fix`: every domain on many libvirt hosts fixed as `fix DOMAIN --connect URI` fixes one. Without
/// <c>define</c> it is a dry run over read-only connections (what would be fixed, nothing changed); with it, each
/// domain goes through <see cref="DomainFix.Define"/> (old XML kept, new one defined with libvirt's schema check,
/// read back, the old one restored on failure), one read-write connection per host, at most <c>connections</c>
/// hosts at a time. A dry run reads and fixes a host's domains as fleet lint lints them (<see cref="FleetLint.CallsPerHost"/>
/// at a time over its connection, results in name order); redefinitions are done in turn, one domain after another
/// on the host's connection. A host that cannot be reached, or a domain whose redefinition failed, is a result with
/// its error; the others go on.
/// </summary>
public static class FleetFix
{
    /// <param name="keepDirectory">With <paramref name="define"/>: the old XML of each changed domain goes to
    /// KEEP/HOST/DOMAIN.before-fix.xml, HOST being <see cref="HostDirectory"/> of the URI.</param>
    public static IReadOnlyList<FleetFixHost> Run(IReadOnlyList<string> uris, int connections, FixOptions options, bool define,
        string keepDirectory, Action<FleetFixHost>? hostDone = null)
    {
        var results = new FleetFixHost[uris.Count];
        Parallel.For(0, uris.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, connections) }, i =>
        {
            results[i] = Host(uris[i], options, define, keepDirectory);
            hostDone?.Invoke(results[i]);
        });
        return results;
    }

    public static FleetFixHost Host(string uri, FixOptions options, bool define, string keepDirectory)
    {
        var domains = new List<FleetFixDomain>();
        try
        {
            using var connection = LibvirtConnection.Open(uri, readOnly: !define);
            var shown = uri.Length == 0 ? connection.Uri : uri;
            if (!define)
            {
                var actual = connection.Uri;
                return new FleetFixHost(shown, connection.EachDomainXml(inactive: true, FleetLint.CallsPerHost,
                    (d, xml) => DryRun(actual, d, xml, options), Failed), null); // Failed: undefined since it was listed
            }
            var keep = Path.Combine(keepDirectory, HostDirectory(connection.Uri));
            foreach (var d in connection.Domains())
                domains.Add(Define(connection, d, options, keep));
            return new FleetFixHost(shown, domains, null);
        }
        catch (LibvirtException e)
        {
            // Domains done before the connection failed are reported with it.
            return new FleetFixHost(uri, domains, e.Message);
        }
    }

    /// <summary>A directory name for a host's kept files: the URI with every character but letters, digits, '.', '-'
    /// and '_' made '_' (qemu+ssh://root@gpu7/system: qemu_ssh___root_gpu7_system).</summary>
    public static string HostDirectory(string uri) =>
        string.Concat(uri.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));

    private static FleetFixDomain DryRun(string uri, LibvirtDomainName domain, string xml, FixOptions options)
    {
        try
        {
            var fix = Fixer.Fix(LibvirtDocument.Of(uri, domain.Name, xml), options);
            return new FleetFixDomain(domain, fix.Changed ? FleetFixOutcome.WouldChange : FleetFixOutcome.Unchanged, fix, null, null);
        }
        catch (InputException e) { return Failed(domain, e); }
    }

    private static FleetFixDomain Failed(LibvirtDomainName domain, InputException e) =>
        new(domain, FleetFixOutcome.Failed, null, null, e.Describe());

    private static FleetFixDomain Define(LibvirtConnection connection, LibvirtDomainName domain, FixOptions options, string keep)
    {
        try
        {
            var (redefinition, fix) = DomainFix.Define(connection, domain.Name, options, keep);
            var outcome = redefinition.Outcome switch
            {
                RedefinitionOutcome.Unchanged => FleetFixOutcome.Unchanged,
                RedefinitionOutcome.Defined => FleetFixOutcome.Defined,
                _ => FleetFixOutcome.RolledBack,
            };
            return new FleetFixDomain(domain, outcome, fix, redefinition.KeptFile, redefinition.Problem);
        }
        catch (InputException e) { return Failed(domain, e); }
        // A failed restore: the domain may be left changed; the message names the kept file.
        catch (LibvirtException e) { return new FleetFixDomain(domain, FleetFixOutcome.Failed, null, null, e.Message); }
    }
}
