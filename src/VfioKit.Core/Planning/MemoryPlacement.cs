namespace VfioKit.Planning;

/// <summary>Where guest memory lives: the host node(s) it is bound to (strict), its size and page size.</summary>
/// <param name="PageSizeKiB">Hugepage size; 0 for ordinary pages.</param>
public sealed record MemoryPlacement(IReadOnlyList<int> Nodes, long? Bytes, long PageSizeKiB, IReadOnlyList<HugePageNeed> HugePages);
