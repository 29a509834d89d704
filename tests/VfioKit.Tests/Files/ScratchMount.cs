using VfioKit.Tests.Fixing;

namespace VfioKit.Tests.Files;

/// <summary>A small tmpfs mounted on a temp directory (the tests run as root), unmounted on dispose: a full disk
/// (size=64k) or, after <see cref="MakeReadOnly"/>, a read-only file system.</summary>
public sealed class ScratchMount : IDisposable
{
    private readonly TempDirectory _dir = new("vfiokit-mnt-");

    public ScratchMount(string size = "1m")
    {
        var (code, output) = ToolRun.Of("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", _dir.Path);
        if (code != 0) throw new InvalidOperationException($"mount tmpfs on {_dir.Path} failed (the tests need root): {output}");
    }

    public string Path => _dir.Path;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void MakeReadOnly()
    {
        var (code, output) = ToolRun.Of("mount", "-o", "remount,ro", Path);
        if (code != 0) throw new InvalidOperationException($"remount ro {Path} failed: {output}");
    }

    /// <summary>Fills the file system until a write fails with ENOSPC.</summary>
    public void Fill()
    {
        using var filler = new FileStream(File("filler"), FileMode.CreateNew);
        var block = new byte[4096];
        try { while (true) { filler.Write(block); filler.Flush(); } }
        catch (IOException) { }
    }

    public void Dispose()
    {
        ToolRun.Of("umount", "-l", Path);
        _dir.Dispose();
    }
}
