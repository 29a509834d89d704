namespace VfioKit.Run;

/// <summary>A host change that could not be made or did not take (the kernel refused a write, or read back
/// something else than was written). The engine undoes what it did before this propagates.</summary>
public sealed class HostChangeException(string message, Exception? inner = null) : Exception(message, inner);
