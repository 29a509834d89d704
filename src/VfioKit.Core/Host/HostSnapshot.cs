using VfioKit.Files;
namespace VfioKit.Host;

/// <summary>
/// Copies what a <see cref="SysfsRoot"/> recorded into a directory, so that reading the host from that
/// directory gives the same model: files read (the very bytes that were read), directories listed (their entries, as
/// empty placeholders unless read), and symbolic links on the way, kept as links (relative targets as
/// written; absolute ones made relative to the snapshot). Files whose read failed are left out, as they were.
/// </summary>
public static class HostSnapshot
{
    private const int MaxLinkHops = 40;

    /// <summary>Writes the snapshot; <paramref name="output"/> must not exist or be empty. Returns the number of files written.</summary>
    public static int Write(SysfsRoot recorded, string output)
    {
        var writer = new Writer(recorded.Root, Path.GetFullPath(output));
        foreach (var dir in recorded.DirectoriesListed.Order(StringComparer.Ordinal)) writer.Directory(dir);
        foreach (var entry in recorded.EntriesProbed.Order(StringComparer.Ordinal)) writer.Entry(entry);
        var inPart = recorded.FilesReadInPart.ToHashSet(StringComparer.Ordinal);
        foreach (var (file, bytes) in recorded.FilesRead.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (bytes is null) continue;
            if (inPart.Contains(file)) writer.Copy(file);
            else writer.File(file, bytes);
        }
        foreach (var file in recorded.FilesStreamed.Order(StringComparer.Ordinal)) writer.Copy(file);
        return writer.FilesWritten;
    }

    private sealed class Writer(string sourceRoot, string targetRoot)
    {
        public int FilesWritten { get; private set; }

        /// <summary>A listed directory: the directory, and each entry as a link, directory or empty file.</summary>
        public void Directory(string rel)
        {
            var real = Walk(rel, 0);
            if (real is null || !System.IO.Directory.Exists(Src(real)) || IsLink(Src(real))) return;
            System.IO.Directory.CreateDirectory(Dst(real));
            IEnumerable<string> entries;
            try { entries = System.IO.Directory.EnumerateFileSystemEntries(Src(real)).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
            foreach (var entry in entries) Place($"{real}/{Path.GetFileName(entry)}");
        }

        /// <summary>A path that was probed or whose link was read: every link on the way, then the entry itself.</summary>
        public void Entry(string rel)
        {
            var real = Walk(rel, 0, keepLastLink: true);
            if (real is null) return;
            Place(real);
            // A link's target directory too (a driver, a group), so the snapshot holds no dangling links.
            if (IsLink(Src(real)) && ResolveLink(real) is { } target && System.IO.Directory.Exists(Src(target)) && Walk(target, 0) is { } t)
                System.IO.Directory.CreateDirectory(Dst(t));
        }

        /// <summary>A file that was streamed: every link on the way, then the whole file as it is now.</summary>
        public void Copy(string rel)
        {
            var real = Walk(rel, 0);
            if (real is null || IsLink(Dst(real))) return;
            try
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Dst(real))!);
                System.IO.File.Copy(Src(real), Dst(real), overwrite: true);
                FilesWritten++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }

        /// <summary>A file that was read: every link on the way, then the bytes read.</summary>
        public void File(string rel, byte[] bytes)
        {
            var real = Walk(rel, 0);
            if (real is null) return;
            var dst = Dst(real);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
            if (IsLink(dst)) return;
            System.IO.File.WriteAllBytes(dst, bytes);
            FilesWritten++;
        }

        /// <summary>Recreates the links and directories on the way to <paramref name="rel"/> (all but its last
        /// component unless that is a link to follow) and returns the path with links resolved, or null when
        /// something on the way is missing.</summary>
        private string? Walk(string rel, int hops, bool keepLastLink = false)
        {
            if (hops > MaxLinkHops) return null;
            var parts = rel.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var done = "";
            for (var i = 0; i < parts.Length; i++)
            {
                var path = done.Length == 0 ? parts[i] : $"{done}/{parts[i]}";
                var last = i == parts.Length - 1;
                if (IsLink(Src(path)))
                {
                    if (last && keepLastLink) return path;
                    CopyLink(path);
                    var resolved = ResolveLink(path);
                    if (resolved is null) return null;
                    var rest = string.Join('/', parts[(i + 1)..]);
                    return Walk(rest.Length == 0 ? resolved : $"{resolved}/{rest}", hops + 1, keepLastLink);
                }
                if (last) return path;
                if (!System.IO.Directory.Exists(Src(path))) return null;
                System.IO.Directory.CreateDirectory(Dst(path));
                done = path;
            }
            return done.Length == 0 ? null : done;
        }

        /// <summary>An entry as a link, a directory, or an empty placeholder file (its bytes come only from a read).</summary>
        private void Place(string real)
        {
            var src = Src(real);
            var dst = Dst(real);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
            if (IsLink(src)) { CopyLink(real); return; }
            if (System.IO.Directory.Exists(src)) { System.IO.Directory.CreateDirectory(dst); return; }
            if (System.IO.File.Exists(src) && !System.IO.File.Exists(dst)) System.IO.File.WriteAllBytes(dst, []);
        }

        private void CopyLink(string rel)
        {
            var dst = Dst(rel);
            if (IsLink(dst) || System.IO.File.Exists(dst) || System.IO.Directory.Exists(dst)) return;
            var target = new FileInfo(Src(rel)).LinkTarget!;
            if (target.StartsWith('/'))
            {
                // An absolute link would leave the snapshot: point it at the same path inside it.
                var linkDir = Path.GetDirectoryName(dst)!;
                target = Path.GetRelativePath(linkDir, Path.Combine(targetRoot, target.TrimStart('/')));
            }
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
            System.IO.File.CreateSymbolicLink(dst, target);
        }

        /// <summary>The link's target as a path relative to the root, resolved lexically (the parents are real directories).</summary>
        private string? ResolveLink(string rel)
        {
            var target = new FileInfo(Src(rel)).LinkTarget;
            if (target is null) return null;
            var parent = Path.GetDirectoryName(rel.Replace('/', Path.DirectorySeparatorChar)) ?? "";
            var combined = target.StartsWith('/') ? target.TrimStart('/') : Path.Combine(parent, target);
            var stack = new List<string>();
            foreach (var part in combined.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == ".") continue;
                if (part == "..") { if (stack.Count == 0) return null; stack.RemoveAt(stack.Count - 1); }
                else stack.Add(part);
            }
            return stack.Count == 0 ? null : string.Join('/', stack);
        }

        private static bool IsLink(string path)
        {
            try { return new FileInfo(path).LinkTarget is not null; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        }

        private string Src(string rel) => Path.Combine(sourceRoot, rel);
        private string Dst(string rel) => Path.Combine(targetRoot, rel);
    }
}
