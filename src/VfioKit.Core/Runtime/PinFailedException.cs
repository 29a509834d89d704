namespace VfioKit.Runtime;

/// <summary>Setting an affinity failed part-way; every thread already changed was set back to its old mask.</summary>
public sealed class PinFailedException(string message, IReadOnlyList<int> restored, Exception inner) : Exception(message, inner)
{
    public IReadOnlyList<int> RestoredThreads { get; } = restored;
}
