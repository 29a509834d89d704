using System.IO.Enumeration;

namespace VfioKit.Cli.Install;

/// <summary>
/// Whether the sources of a checkout may be newer than the binary its launcher built: the mtimes of the
/// build's inputs against the build stamp. Inputs: Directory.Build.props, docs/rules and its entries, src and
/// its entries, and each project directory (src/PROJECT) to five levels of entries below it. Directories are
/// compared too: git checkout, mv and rm replace or remove entries, which moves the directory's mtime to now
/// even when a file's own mtime goes backwards. bin/ and obj/ are neither compared nor entered (they hold as
/// many entries as the sources and change on every build), and below a project a name with a dot is taken
/// for a file and not entered (the launcher tests check the source tree keeps to that shape).
/// One lstat per entry and no string per entry: this runs on every `./vfiokit` call.
/// </summary>
public static class SourceWalk
{
    /// <summary>The build stamp, ROOT/.cache/aot/.stamp3: the launcher moves it into place before each build
    /// (or after a content hash found nothing changed), so a source edited after that is newer. The name
    /// changes with the protocol between the launcher and the binary (docs in ../../../vfiokit).</summary>
    public static string StampPath(string root) => Path.Combine(root, ".cache", "aot", ".stamp3");

    /// <summary>Levels entered below src/PROJECT: entries up to src/PROJECT/a/b/c/d/e are compared.</summary>
    public const int ProjectLevels = 4;

    /// <summary>True when an input is newer than the stamp, when there is no stamp, or when the walk fails:
    /// each means "not known to be current", which the launcher's content hash then settles.</summary>
    public static bool IsStale(string root)
    {
        try
        {
            var stamp = new FileInfo(StampPath(root));
            if (!stamp.Exists) return true;
            var since = stamp.LastWriteTimeUtc.Ticks;
            var props = new FileInfo(Path.Combine(root, "Directory.Build.props"));
            if (props.Exists && props.LastWriteTimeUtc.Ticks > since) return true;
            var rules = Path.Combine(root, "docs", "rules");
            if (Directory.Exists(rules) && (Directory.GetLastWriteTimeUtc(rules).Ticks > since || Newer(rules, since, 0))) return true;
            var src = Path.Combine(root, "src");
            if (Directory.GetLastWriteTimeUtc(src).Ticks > since || Newer(src, since, 0)) return true;
            foreach (var project in Directory.EnumerateDirectories(src))
            {
                if (Newer(project, since, ProjectLevels)) return true;
            }
            return false;
        }
        catch (Exception)
        {
            // Whatever went wrong (a directory gone or unreadable mid-walk), the hash decides.
            return true;
        }
    }

    /// <summary>Is an entry of <paramref name="directory"/>, or of its subdirectories <paramref name="levels"/>
    /// deep, newer than <paramref name="since"/>? Stops at the first one.</summary>
    private static bool Newer(string directory, long since, int levels)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = levels > 0,
            MaxRecursionDepth = levels,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
        };
        // The predicates see the directory entry as it was read (a span over the enumerator's buffer):
        // LastWriteTimeUtc is the entry's one lstat, and the transform runs only for the first newer entry.
        var newer = new FileSystemEnumerable<bool>(directory, static (ref FileSystemEntry _) => true, options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) =>
                !IsBuildOutput(entry.FileName) && entry.LastWriteTimeUtc.UtcTicks > since,
            ShouldRecursePredicate = static (ref FileSystemEntry entry) =>
                !IsBuildOutput(entry.FileName) && !entry.FileName.Contains('.'),
        };
        foreach (var _ in newer) return true;
        return false;
    }

    private static bool IsBuildOutput(ReadOnlySpan<char> name) => name is "bin" or "obj";
}
