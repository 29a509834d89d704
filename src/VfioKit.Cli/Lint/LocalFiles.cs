using VfioKit.Files;
using VfioKit.Rules;

namespace VfioKit.Cli.Lint;

/// <summary>The VM host's own file system (lint run with --host /): romfile paths are checked as they are,
/// and only regular files are opened: a FIFO would block, and opening a device can act (/dev/watchdog arms).</summary>
internal sealed class LocalFiles : IHostFiles
{
    public bool IsReadable(string path) => RegularFile.IsReadable(path);
}
