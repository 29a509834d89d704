namespace VfioKit.Run;

/// <summary>What a restore did: the steps undone and the ones that could not be (the journal then stays).</summary>
public sealed record RestoreResult(IReadOnlyList<string> Undone, IReadOnlyList<string> Failures)
{
    public bool Complete => Failures.Count == 0;
}
