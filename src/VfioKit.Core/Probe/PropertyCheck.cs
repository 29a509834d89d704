namespace VfioKit.Probe;

/// <summary>
/// One property of one device, predicted and seen: "address", "identity", "type", "link",
/// "extendedConfig", "portLink", "portLinkStatus". Values are in lspci's words ("Endpoint",
/// "8GT/s x16", "none"). <see cref="Faithful"/> is false where the probe's stand-in cannot show what the
/// real device would (the physical link of a passed-through GPU), so a difference there is no finding.
/// </summary>
public sealed record PropertyCheck(string Property, string Predicted, string Seen, bool Faithful, string? Why = null)
{
    public bool Agrees => Predicted == Seen;

    /// <summary>A difference that counts: the stand-in is faithful here and the guest saw something else.</summary>
    public bool IsFinding => Faithful && !Agrees;

    public override string ToString() =>
        $"{Property}: predicted {Predicted}, seen {Seen}{(Agrees ? "" : Faithful ? " (DIFFERS)" : " (stand-in: " + Why + ")")}";
}
