namespace VfioKit.Files;

/// <summary>What <see cref="FileReplacement"/> did: the file named, the file actually written (its symlink's
/// target when it was a symlink), and where the original was kept (null for a new file).</summary>
public sealed record FileReplacementResult(string Path, string Target, string? Backup)
{
    public bool ViaSymlink => !string.Equals(System.IO.Path.GetFullPath(Path), Target, StringComparison.Ordinal);
}
