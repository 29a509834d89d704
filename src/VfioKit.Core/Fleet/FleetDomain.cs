using VfioKit.Libvirt;
using VfioKit.Rules;

namespace VfioKit.Fleet;

/// <summary>One domain of a fleet host: its lint report, or why its XML could not be read (it vanished between
/// listing and reading, say).</summary>
public sealed record FleetDomain(LibvirtDomainName Domain, LintReport? Report, string? Error);
