using VfioKit.Pci;
using VfioKit.Vm;

namespace VfioKit.Verify;

/// <summary>
/// The verdict for one passed function: where it was expected, what the guest showed there and above it,
/// the card's link (the host's when known), and the sentence that says it.
/// </summary>
/// <param name="Name">The device's id in the configuration, or its guest address when verify ran without one.</param>
/// <param name="ExpectedAddress">Where the configuration puts it in the guest (guest-view's prediction); null without a configuration.</param>
/// <param name="Card">The card's Link Capabilities: the host's when known, else what the guest reads.</param>
/// <param name="HostStatus">The host's Link Status of the card, when known.</param>
/// <param name="Notes">Extra facts: a prediction the guest does not match, the AMD upstream-port trap.</param>
public sealed record FunctionVerdict(
    string Name,
    PciAddress? HostAddress,
    PciAddress? ExpectedAddress,
    SeenFunction? Seen,
    SeenFunction? Port,
    PciLink? Card,
    PciLink? HostStatus,
    LinkVerdict Verdict,
    string Message,
    ValueList<string> Notes);
