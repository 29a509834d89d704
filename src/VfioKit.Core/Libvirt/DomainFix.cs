using VfioKit.Fixing;
using VfioKit.Linting;
using VfioKit.Rules;

namespace VfioKit.Libvirt;

/// <summary>
/// `fix DOMAIN --connect URI --define`: the domain's persistent XML fixed as a file would be, defined in place
/// through <see cref="DomainRedefinition"/>, and checked after libvirt read it back: a fix libvirt dropped or
/// undid while normalising (the read-back needs fixing again) counts as a failure and the old definition is restored.
/// </summary>
public static class DomainFix
{
    public static (RedefinitionResult Redefinition, FixResult? Fix) Define(LibvirtConnection connection, string domain, FixOptions options, string keepDirectory)
    {
        FixResult? fix = null;
        var result = DomainRedefinition.Apply(connection, domain,
            before =>
            {
                fix = Fixer.Fix(LibvirtDocument.Of(connection.Uri, domain, before), options);
                return fix.FixedText;
            },
            readBack => Check(connection.Uri, domain, readBack, options),
            keepDirectory);
        return (result, fix);
    }

    /// <summary>Null when the XML libvirt read back is a fixed point (fixing it again changes nothing), else the
    /// findings that are fixable again.</summary>
    public static string? Check(string uri, string domain, string readBack, FixOptions options)
    {
        var again = Fixer.Fix(LibvirtDocument.Of(uri, domain, readBack), options).Applied;
        return again.Count == 0 ? null
            : "libvirt's read-back needs fixing again: " + string.Join("; ", again.Select(f => $"{f.RuleId}: {f.Message}"));
    }
}
