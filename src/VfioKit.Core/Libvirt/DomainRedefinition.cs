using System.Text;

namespace VfioKit.Libvirt;

/// <summary>
/// Replaces a domain's persistent definition as one step that can be undone: the old XML (as libvirt shows it,
/// `virsh dumpxml --inactive`) is kept in a new file first, the new XML is defined with libvirt's schema check,
/// read back and checked; when defining, reading back or the check fails, the old XML is defined again (on a
/// new connection when the first one dropped), so the domain ends as it was. Only a failed restore leaves it
/// changed, and then the error names the kept file.
/// </summary>
public static class DomainRedefinition
{
    /// <param name="change">The new XML from the old; returning the old XML changes nothing.</param>
    /// <param name="check">Given the XML libvirt reads back, null when it is right, else what is wrong.</param>
    /// <param name="keepDirectory">Where the old XML is kept (DOMAIN.before-fix.xml, or .N; never overwritten).</param>
    public static RedefinitionResult Apply(LibvirtConnection connection, string domain, Func<string, string> change,
        Func<string, string?> check, string keepDirectory)
    {
        var (target, before) = connection.DomainWithXml(domain, inactive: true);
        var after = change(before);
        if (after == before) return new RedefinitionResult(target, null, before, before, RedefinitionOutcome.Unchanged, null);

        var kept = Keep(keepDirectory, target.Name, before);
        var (_, readBack, problem) = DefineAndCheck(connection, after, target.Uuid, check);
        if (problem is null) return new RedefinitionResult(target, kept, before, readBack!, RedefinitionOutcome.Defined, null);

        Restore(connection, before, kept);
        return new RedefinitionResult(target, kept, before, before, RedefinitionOutcome.RolledBack, problem);
    }

    /// <summary>
    /// The step `fix --define` and `new --define` share: defines <paramref name="xml"/> with libvirt's schema check
    /// (VIR_DOMAIN_DEFINE_VALIDATE), reads the persistent definition back by UUID and checks it. Problem is libvirt's
    /// error or what the check found, null when all is right; Defined is the domain when libvirt took the XML.
    /// </summary>
    /// <param name="uuid">The domain's UUID when known before (a redefinition); else the one libvirt gives it.</param>
    internal static (LibvirtDomainName? Defined, string? ReadBack, string? Problem) DefineAndCheck(LibvirtConnection connection, string xml,
        string? uuid, Func<string, string?> check)
    {
        LibvirtDomainName? defined = null;
        try
        {
            defined = connection.Define(xml, validate: true);
            var readBack = connection.DomainXml(uuid ?? defined.Uuid, inactive: true);
            return (defined, readBack, check(readBack));
        }
        catch (LibvirtException e)
        {
            return (defined, null, e.Message);
        }
    }

    /// <summary>Defines the old XML again (no schema check: libvirt accepted it before), on a fresh connection when
    /// the first one fails.</summary>
    private static void Restore(LibvirtConnection connection, string before, string kept)
    {
        try
        {
            connection.Define(before, validate: false);
            return;
        }
        catch (Exception e) when (e is LibvirtException or ObjectDisposedException) { } // the connection dropped: a new one below
        try
        {
            using var again = LibvirtConnection.Open(connection.Requested ?? connection.Uri, readOnly: false);
            again.Define(before, validate: false);
        }
        catch (LibvirtException e)
        {
            throw new LibvirtException($"{e.Message}; the domain may be left with the new definition: the old one is in {kept} (virsh define {kept})", e.Uri, e.Code, e);
        }
    }

    /// <summary>Writes the old XML to a new file (never over an existing one), flushed to disk before anything changes.</summary>
    private static string Keep(string directory, string name, string xml)
    {
        Directory.CreateDirectory(directory);
        var safe = string.Concat(name.Select(c => c == '/' || char.IsControl(c) ? '_' : c));
        for (var n = 0; ; n++)
        {
            var path = Path.Combine(directory, n == 0 ? $"{safe}.before-fix.xml" : $"{safe}.before-fix.{n}.xml");
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                stream.Write(new UTF8Encoding(false).GetBytes(xml));
                stream.Flush(flushToDisk: true);
                return path;
            }
            catch (IOException) when (File.Exists(path)) { }
        }
    }
}

public enum RedefinitionOutcome
{
    /// <summary>The change changed nothing; libvirt was not asked.</summary>
    Unchanged,
    /// <summary>The new XML is defined and read back right.</summary>
    Defined,
    /// <summary>Something failed and the old XML is defined again.</summary>
    RolledBack,
}

/// <summary>What <see cref="DomainRedefinition.Apply"/> did: the domain, the kept file, the XML before and as libvirt
/// shows it now, and the problem that caused a rollback.</summary>
public sealed record RedefinitionResult(LibvirtDomainName Domain, string? KeptFile, string Before, string Now,
    RedefinitionOutcome Outcome, string? Problem);
