namespace VfioKit.Cli.Lint;

/// <summary>
/// Replaces a file so that it is never half-written, even if the process is killed: the new text goes to a
/// temporary file in the same directory (same file system), is flushed to disk, gets the original's
/// permissions, and is renamed over the original; the original is kept as FILE.bak first.
/// </summary>
internal static class AtomicFile
{
    public static void Replace(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.vfiokit-{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = new System.Text.UTF8Encoding(false).GetBytes(text);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            File.Copy(full, full + ".bak", overwrite: true);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
