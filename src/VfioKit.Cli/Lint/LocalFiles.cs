using VfioKit.Rules;

namespace VfioKit.Cli.Lint;

/// <summary>The VM host's own file system (lint run with --host /): romfile paths are checked as they are.</summary>
internal sealed class LocalFiles : IHostFiles
{
    public bool IsReadable(string path)
    {
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
