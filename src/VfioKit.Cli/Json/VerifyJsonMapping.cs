using VfioKit.Pci;
using VfioKit.Verify;

namespace VfioKit.Cli.Json;

internal static class VerifyJsonMapping
{
    public static VerifyJson From(VerifyResult result, string? config) => new(
        result.Source, config, result.AllLinked,
        [.. result.Functions.Select(f => new FunctionVerdictJson(
            f.Name,
            f.HostAddress?.ToString(),
            f.ExpectedAddress?.ToString(),
            f.Seen?.Address.ToString(),
            f.Verdict.JsonName,
            f.Verdict.HasLink,
            f.Message,
            f.Seen?.ExpressType?.LspciName,
            Link(f.Seen?.LinkCapability),
            Link(f.Seen?.LinkStatus),
            f.Port is { } p ? new PortJson(p.Address.ToString(), p.ExpressType?.LspciName, Link(p.LinkCapability), Link(p.LinkStatus)) : null,
            Link(f.Card),
            Link(f.HostStatus),
            [.. f.Notes]))]);

    private static LinkJson? Link(PciLink? link) => link is { } l ? new LinkJson(l.Speed.GTs, l.Width) : null;
}
