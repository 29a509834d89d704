using VfioKit.Libvirt;
using VfioKit.Linting;

namespace VfioKit.Fleet;

/// <summary>One domain of <see cref="FleetFix"/>: what happened, the fix (its applied and remaining findings), the kept
/// old XML and the problem when it did not go through.</summary>
public sealed record FleetFixDomain(LibvirtDomainName Domain, FleetFixOutcome Outcome, FixResult? Fix, string? KeptFile, string? Problem);
