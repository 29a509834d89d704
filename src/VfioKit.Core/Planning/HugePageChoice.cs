namespace VfioKit.Planning;

/// <summary>How to back guest memory.</summary>
public enum HugePageChoice
{
    /// <summary>1 GiB pages when the node has enough free, else 2 MiB.</summary>
    Auto,
    /// <summary>2 MiB hugepages.</summary>
    Size2M,
    /// <summary>1 GiB hugepages.</summary>
    Size1G,
    /// <summary>Ordinary pages (memory-backend-ram), still bound to the node.</summary>
    None,
}
