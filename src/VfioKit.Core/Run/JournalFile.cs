using System.Text.Json;

namespace VfioKit.Run;

/// <summary>
/// Journals on disk: {root}/run/vfiokit/NAME.journal. /run is a tmpfs, so a journal lives exactly as long as the
/// state it describes: a reboot forgets both (sysfs bindings, huge page counts and cgroups do not survive one).
/// </summary>
public static class JournalFile
{
    public const string Directory = "run/vfiokit";

    public static string PathOf(string root, string name) => Path.Combine(Path.GetFullPath(root), Directory, $"{name}.journal");

    /// <summary>Names with a journal under <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Names(string root)
    {
        var dir = Path.Combine(Path.GetFullPath(root), Directory);
        return System.IO.Directory.Exists(dir)
            ? [.. System.IO.Directory.EnumerateFiles(dir, "*.journal").Select(p => Path.GetFileNameWithoutExtension(p)).Order(StringComparer.Ordinal)]
            : [];
    }

    public static Journal? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize(File.ReadAllText(path), JournalJsonContext.Default.Journal); }
        catch (JsonException e) { throw new Diagnostics.InputException(path, (int?)e.LineNumber + 1, null, $"not a vfiokit journal: {e.Message}", e); }
    }

    /// <summary>Replaces the journal atomically and durably: a crash leaves the old one or the new one, never a torn one.
    /// Kept in this one function so it can move to the shared file replacement when that lands.</summary>
    public static void Write(string path, Journal journal)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, journal, JournalJsonContext.Default.Journal);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes the journal, and its directory when that is left empty (so a rehearsal tree is as it was).</summary>
    public static void Delete(string path)
    {
        File.Delete(path);
        // A temporary copy left by a process killed while it wrote the journal.
        var dir = Path.GetDirectoryName(path)!;
        if (System.IO.Directory.Exists(dir))
            foreach (var stale in System.IO.Directory.EnumerateFiles(dir, Path.GetFileName(path) + ".*.tmp")) File.Delete(stale);
        if (System.IO.Directory.Exists(dir) && !System.IO.Directory.EnumerateFileSystemEntries(dir).Any()) System.IO.Directory.Delete(dir);
    }
}
