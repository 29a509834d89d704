namespace VfioKit.Host;

/// <summary>
/// Copies what a <see cref="SysfsRoot"/> recorded into a directory, so that reading the host from that
/// directory gives the same model: files read (their bytes as read), directories listed (their entries, as
/// empty placeholders unless read), and symbolic links on the way, kept as links (relative targets as
/// written; absolute ones made relative to the snapshot). Device nodes and unreadable files are skipped.
/// </summary>
public static class HostSnapshot
{
    private const int MaxLinkHops = 40;

    /// <summary>Writes the snapshot; <paramref name="output"/> must not exist or be empty. Returns the number of files written.</summary>
    public static int Write(SysfsRoot recorded, string output)
    {
        var writer = new Writer(recorded.Root, Path.GetFullPath(output));
        foreach (var dir in recorded.DirectoriesListed.Order(StringComparer.Ordinal)) writer.Directory(dir);
        foreach (var entry in recorded.EntriesProbed.Order(StringComparer.Ordinal)) writer.Entry(entry, copyContent: false);
        foreach (var file in recorded.FilesRead.Order(StringComparer.Ordinal)) writer.Entry(file, copyContent: true);
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
            foreach (var entry in entries) Place($"{real}/{Path.GetFileName(entry)}", copyContent: false);
        }

        /// <summary>A path that was read or probed: every link on the way, then the entry itself.</summary>
        public void Entry(string rel, bool copyContent)
        {
            var real = Walk(rel, 0, keepLastLink: !copyContent);
            if (real is not null) Place(real, copyContent);
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

        private void Place(string real, bool copyContent)
        {
            var src = Src(real);
            var dst = Dst(real);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
            if (IsLink(src)) { CopyLink(real); return; }
            if (System.IO.Directory.Exists(src)) { System.IO.Directory.CreateDirectory(dst); return; }
            if (!File.Exists(src)) return;
            if (copyContent)
            {
                if (TryReadAll(src, out var bytes)) { File.WriteAllBytes(dst, bytes); FilesWritten++; }
            }
            else if (!File.Exists(dst))
            {
                File.WriteAllBytes(dst, []);
            }
        }

        private void CopyLink(string rel)
        {
            var dst = Dst(rel);
            if (IsLink(dst) || File.Exists(dst) || System.IO.Directory.Exists(dst)) return;
            var target = new FileInfo(Src(rel)).LinkTarget!;
            if (target.StartsWith('/'))
            {
                // An absolute link would leave the snapshot: point it at the same path inside it.
                var linkDir = Path.GetDirectoryName(dst)!;
                target = Path.GetRelativePath(linkDir, Path.Combine(targetRoot, target.TrimStart('/')));
            }
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(dst)!);
            File.CreateSymbolicLink(dst, target);
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

        private static bool TryReadAll(string path, out byte[] bytes)
        {
            bytes = [];
            try
            {
                if ((File.GetAttributes(path) & FileAttributes.Device) != 0) return false;
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                bytes = buffer.ToArray();
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                return false;
            }
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
