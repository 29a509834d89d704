namespace VfioKit.Verify;

/// <summary>What verify concludes for one passed function.</summary>
public enum LinkVerdict
{
    /// <summary>A PCI Express Endpoint behind a port that offers the card's whole link.</summary>
    FullLink,
    /// <summary>The link is right, but the card's Link Status is below its capability: GPUs slow the link when idle.</summary>
    RecheckUnderLoad,
    /// <summary>The VM passes the whole link on, but the host's own link trained below the card's capability.</summary>
    HostLinkDowngraded,
    /// <summary>The port above the function offers less than the card can do (ioh3420, x-speed/x-width, old machine type).</summary>
    PortBelowCard,
    /// <summary>No PCI Express link at all: an integrated endpoint on the root bus, or conventional PCI.</summary>
    NoLink,
    /// <summary>The guest's report cannot show the link (capabilities hidden: lspci run without root).</summary>
    Unreadable,
    /// <summary>The guest shows no function where the configuration puts it.</summary>
    Missing,
}

public static class LinkVerdictFacts
{
    extension(LinkVerdict verdict)
    {
        /// <summary>True when the function has the link it should have in the VM (exit 0).</summary>
        public bool HasLink => verdict is LinkVerdict.FullLink or LinkVerdict.RecheckUnderLoad or LinkVerdict.HostLinkDowngraded;

        /// <summary>The stable name in JSON: "full-link", "port-below-card", ...</summary>
        public string JsonName => verdict switch
        {
            LinkVerdict.FullLink => "full-link",
            LinkVerdict.RecheckUnderLoad => "recheck-under-load",
            LinkVerdict.HostLinkDowngraded => "host-link-downgraded",
            LinkVerdict.PortBelowCard => "port-below-card",
            LinkVerdict.NoLink => "no-link",
            LinkVerdict.Unreadable => "unreadable",
            _ => "missing",
        };
    }
}
