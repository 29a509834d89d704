using System.Runtime.InteropServices;
using VfioKit.Interop;

namespace VfioKit.Cli.Install;

/// <summary>
/// Whether the sources of a checkout may be newer than the binary its launcher built: the mtimes of the
/// build's inputs against the build stamp. Inputs: Directory.Build.props, docs/rules and its entries, src and
/// its entries, and each project directory (src/PROJECT) to five levels of entries below it. Directories are
/// compared too: git checkout, mv and rm replace or remove entries, which moves the directory's mtime to now
/// even when a file's own mtime goes backwards. bin/ and obj/ are neither compared nor entered (they hold as
/// many entries as the sources and change on every build), and below src/PROJECT a name with a dot is taken for a
/// file and not entered (the launcher tests check the source tree keeps to that shape).
/// This runs on every `./vfiokit` call, so it is raw syscalls: per directory one openat, the getdents64 calls
/// and a close; per entry one statx relative to its directory (no path walk from /), no string, no allocation.
/// </summary>
public static unsafe partial class SourceWalk
{
    /// <summary>Levels entered below src/PROJECT: entries up to src/PROJECT/a/b/c/d/e are compared.</summary>
    public const int ProjectLevels = 4;

    private const int O_RDONLY = 0, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000, ENOENT = 2;

    /// <summary>True when an input is newer than the stamp, when there is no stamp, or when the walk fails:
    /// each means "not known to be current", which the launcher's content hash then settles.</summary>
    public static bool IsStale(string root)
    {
        var rootFd = Open(Statx.AT_FDCWD, root);
        if (rootFd < 0) return true;
        try
        {
            return IsStale(rootFd);
        }
        finally
        {
            Close(rootFd);
        }
    }

    private static bool IsStale(int root)
    {
        // The build stamp: the launcher moves it into place before each build (or after a content hash found
        // nothing changed), so a source edited after that is newer. Its name changes with the protocol between
        // the launcher and the binary (see the launcher's comment).
        fixed (byte* stamp = ".cache/aot/.stamp3\0"u8, props = "Directory.Build.props\0"u8, rules = "docs/rules\0"u8, src = "src\0"u8)
        {
            if (Stat(root, stamp, out var since, out _) != 0) return true;
            // Directory.Build.props and docs/rules may be absent (the hash then has nothing of them either).
            var found = Stat(root, props, out var time, out _);
            if (found > 0 || (found == 0 && time.After(since))) return true;
            found = Stat(root, rules, out time, out _);
            if (found > 0 || (found == 0 && (time.After(since) || Newer(root, rules, since, 0, projects: false)))) return true;
            if (Stat(root, src, out time, out _) != 0 || time.After(since)) return true;
            return Newer(root, src, since, 0, projects: true);
        }
    }

    /// <summary>Is an entry of the directory <paramref name="name"/> (relative to <paramref name="parent"/>), or
    /// of its subdirectories <paramref name="levels"/> deep, newer than <paramref name="since"/>, or can it not
    /// be read? With <paramref name="projects"/>, each subdirectory is a project, walked <see cref="ProjectLevels"/> deep.</summary>
    private static bool Newer(int parent, byte* name, MTime since, int levels, bool projects)
    {
        var fd = Open(parent, name);
        if (fd < 0) return true;
        try
        {
            const int Size = 8192;
            var buffer = stackalloc byte[Size];
            while (true)
            {
                var length = GetDents64(fd, buffer, Size);
                if (length < 0) return true;
                if (length == 0) return false;
                for (nint offset = 0; offset < length;)
                {
                    // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name (NUL-terminated).
                    var record = buffer + offset;
                    offset += *(ushort*)(record + 16);
                    var entry = record + 19;
                    var entryName = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry);
                    if (entryName is [(byte)'.'] or [(byte)'.', (byte)'.'] || entryName.SequenceEqual("bin"u8) || entryName.SequenceEqual("obj"u8)) continue;
                    if (Stat(fd, entry, out var time, out var isDirectory) != 0 || time.After(since)) return true;
                    if (!isDirectory) continue;
                    if (projects)
                    {
                        if (Newer(fd, entry, since, ProjectLevels, projects: false)) return true;
                    }
                    else if (levels > 0 && !entryName.Contains((byte)'.') && Newer(fd, entry, since, levels - 1, projects: false))
                    {
                        return true;
                    }
                }
            }
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>0 with the entry's mtime and kind (not following a symlink); -1 when it does not exist; 1 on
    /// any other error.</summary>
    private static int Stat(int dirfd, byte* name, out MTime time, out bool isDirectory)
    {
        if (Statx.Get(dirfd, name, Statx.AT_SYMLINK_NOFOLLOW, Statx.STATX_TYPE | Statx.STATX_MTIME, out var buffer) != 0)
        {
            time = default;
            isDirectory = false;
            return Marshal.GetLastPInvokeError() == ENOENT ? -1 : 1;
        }
        time = new MTime(buffer.MTimeSeconds, buffer.MTimeNanoseconds);
        isDirectory = buffer.IsDirectory;
        return 0;
    }

    private readonly record struct MTime(long Seconds, uint Nanoseconds)
    {
        public bool After(MTime other) => Seconds > other.Seconds || (Seconds == other.Seconds && Nanoseconds > other.Nanoseconds);
    }

    private static int Open(int dirfd, string path) => OpenAt(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    private static int Open(int dirfd, byte* path) => OpenAtRaw(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    [LibraryImport("libc", EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenAt(int dirfd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "openat")]
    private static partial int OpenAtRaw(int dirfd, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    private static partial nint GetDents64(int fd, byte* buffer, nint size);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
