namespace VfioKit.Planning;

/// <summary>Hugepages the guest needs on one host node, and how many are free there now.</summary>
public sealed record HugePageNeed(int Node, long PageSizeKiB, long Needed, long Free)
{
    public bool Enough => Free >= Needed;
}
