using System.Runtime.InteropServices;
using System.Security.Cryptography;
using VfioKit.Diagnostics;
using VfioKit.Interop;

namespace VfioKit.Files;

/// <summary>
/// Replaces a file the way editors and package managers do (docs/writing-files.md): the original is kept once as
/// FILE.bak, or FILE.bak.1, .2 ... when that exists (an existing backup is never overwritten); the new text goes to
/// a temporary file in the same directory created with O_CREAT|O_EXCL|O_NOFOLLOW (no symlink is ever followed for
/// the backup or the temporary file), gets the original's owner, mode and extended attributes (ACLs included), is
/// fsynced and renamed over the original, and the directory is fsynced. A symlinked file is edited at its target.
/// A file with several hard links is refused (the other names would keep the old text). A file whose bytes
/// differ from what the caller read, before or just before the rename, is refused. Every failure is an
/// <see cref="InputException"/> naming the file, with nothing left behind and the original untouched.
/// </summary>
public static class FileReplacement
{
    /// <summary>Larger files are not configs; refusing them bounds the re-read.</summary>
    public const long MaxSize = 64L << 20;
    /// <summary>FILE.bak, FILE.bak.1 ... FILE.bak.999, then a refusal.</summary>
    public const int MaxBackups = 1000;

    /// <summary>Replaces <paramref name="path"/>, whose content was read as <paramref name="original"/>, with <paramref name="replacement"/>.</summary>
    /// <param name="beforeCommit">Runs after the new file is ready and before the last check (a test's second writer).</param>
    public static FileReplacementResult Replace(string path, byte[] original, byte[] replacement, Action? beforeCommit = null)
    {
        var target = ResolveTarget(path, mustExist: true)!;
        return ReplaceAt(path, target, original, replacement, beforeCommit);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>: a new file gets <paramref name="newFileMode"/>;
    /// an existing one (only with <paramref name="overwrite"/>) is replaced as by <see cref="Replace"/>, keeping its
    /// mode plus the execute bits <paramref name="newFileMode"/> asks for. Without <paramref name="executableBackup"/>
    /// the backup loses its execute bits: in a directory whose executables are all run (libvirt's hooks/qemu.d),
    /// an old copy must not run beside the new file.</summary>
    public static FileReplacementResult Write(string path, byte[] content, UnixFileMode newFileMode, bool overwrite, bool executableBackup = true)
    {
        var target = ResolveTarget(path, mustExist: false);
        if (target is null) return Create(path, content, newFileMode);
        if (!overwrite) throw new InputException(path, "exists; --force replaces it (the original is kept as a backup)");
        byte[] current;
        using (var file = OpenExisting(path, target)) current = ReadExisting(path, target, file, out _);
        var executeBits = (uint)newFileMode & 0b001_001_001;
        return ReplaceAt(path, target, current, content, null, executeBits, executableBackup);
    }

    private static FileReplacementResult ReplaceAt(string path, string target, byte[] original, byte[] replacement,
        Action? beforeCommit, uint addMode = 0, bool executableBackup = true)
    {
        var dir = Path.GetDirectoryName(target)!;
        string? backup = null, temp = null;
        var committed = false;
        try
        {
            using var existing = OpenExisting(path, target);
            var current = ReadExisting(path, target, existing, out var stat);
            if (!current.AsSpan().SequenceEqual(original))
                throw Refuse(path, target, "changed since vfiokit read it; nothing written (run again)");

            backup = CreateBackup(path, target, existing, stat, original, executableBackup ? 0xFFFu : ~0b001_001_001u);
            using (var file = CreateExclusive(path, dir, target, out temp))
            {
                Step(path, $"cannot write {temp}", () =>
                {
                    file.WriteAll(replacement);
                    file.Own(stat.Uid, stat.Gid); // before chmod: chown clears set-id bits
                    file.Chmod((uint)(stat.Mode & 0xFFF) | (addMode & (((uint)stat.Mode & 0b100_100_100) >> 2))); // x only where r is
                    ExtendedAttributes.Copy(existing, file);
                    file.Sync();
                });
            }

            beforeCommit?.Invoke();
            using (var again = OpenExisting(path, target))
            {
                var now = ReadExisting(path, target, again, out var statNow);
                if (statNow.Ino != stat.Ino || statNow.DevMajor != stat.DevMajor || statNow.DevMinor != stat.DevMinor
                    || !now.AsSpan().SequenceEqual(original))
                    throw Refuse(path, target, "changed while vfiokit was writing it; nothing written, your change is kept (run again)");
            }
            if (FileDescriptors.Rename(temp, target) != 0)
                throw Refuse(path, target, $"cannot rename {temp} over it: {LastError()}");
            committed = true;
            SyncDirectory(path, dir);
            return new FileReplacementResult(path, target, backup);
        }
        finally
        {
            if (!committed)
            {
                if (temp is not null) FileDescriptors.Unlink(temp);
                // Nothing changed, so the copy made by this run is clutter; older backups are never touched.
                if (backup is not null) FileDescriptors.Unlink(backup);
            }
        }
    }

    private static FileReplacementResult Create(string path, byte[] content, UnixFileMode mode)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        string? temp = null;
        var committed = false;
        try
        {
            using (var file = CreateExclusive(path, dir, full, out temp))
            {
                Step(path, $"cannot write {temp}", () =>
                {
                    file.WriteAll(content);
                    file.Chmod((uint)mode);
                    file.Sync();
                });
            }
            // RENAME_NOREPLACE: a file (or symlink) created at the name meanwhile is not overwritten.
            if (FileDescriptors.RenameAt2(Statx.AT_FDCWD, temp, Statx.AT_FDCWD, full, FileDescriptors.RENAME_NOREPLACE) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new InputException(path, errno == FileDescriptors.EEXIST
                    ? "appeared while vfiokit was writing it; nothing written (run again)"
                    : $"cannot create it: {FileDescriptors.Describe(errno)}");
            }
            committed = true;
            SyncDirectory(path, dir);
            return new FileReplacementResult(path, full, null);
        }
        finally
        {
            if (!committed && temp is not null) FileDescriptors.Unlink(temp);
        }
    }

    /// <summary>The regular file <paramref name="path"/> names, through symlinks; null when nothing is there.</summary>
    private static string? ResolveTarget(string path, bool mustExist)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var info = new FileInfo(full);
            if (info.LinkTarget is null)
            {
                if (Directory.Exists(full)) throw new InputException(path, "is a directory");
                if (!info.Exists)
                    return mustExist ? throw new InputException(path, "does not exist") : null;
                return full;
            }
            var final = info.ResolveLinkTarget(returnFinalTarget: true)
                ?? throw new InputException(path, "is a symlink that cannot be resolved");
            if (!final.Exists) throw new InputException(path, $"is a symlink to {final.FullName}, which does not exist; nothing written");
            return Path.GetFullPath(final.FullName);
        }
        catch (IOException e) { throw new InputException(path, $"cannot resolve it: {e.Message}"); }
        catch (UnauthorizedAccessException e) { throw new InputException(path, $"cannot resolve it: {e.Message}"); }
    }

    private static FileDescriptor OpenExisting(string path, string target)
    {
        // O_NONBLOCK: a FIFO put in the file's place does not block the open.
        var file = FileDescriptor.TryOpen(target, FileDescriptors.O_RDONLY | FileDescriptors.O_NOFOLLOW | FileDescriptors.O_NONBLOCK | FileDescriptors.O_NOCTTY, 0, out var errno);
        return file ?? throw Refuse(path, target, errno == FileDescriptors.ELOOP
            ? "became a symlink; nothing written"
            : $"cannot open it: {FileDescriptors.Describe(errno)}");
    }

    private static byte[] ReadExisting(string path, string target, FileDescriptor file, out Statx.Buffer stat)
    {
        Statx.Buffer s = default;
        byte[]? bytes = null;
        Step(path, "cannot read it", () =>
        {
            s = file.Stat();
            if (!s.IsRegular) throw Refuse(path, target, "is not a regular file; nothing written");
            if (s.Nlink > 1)
                throw Refuse(path, target, $"has {s.Nlink} hard links; replacing it would leave the other names with the old text. " +
                    "Nothing written: fix a copy, or break the link first (cp FILE FILE.new && mv FILE.new FILE)");
            bytes = file.ReadAll(MaxSize) ?? throw Refuse(path, target, $"is larger than {MaxSize >> 20} MiB; not a config");
        });
        stat = s;
        return bytes!;
    }

    private static string CreateBackup(string path, string target, FileDescriptor original, Statx.Buffer stat, byte[] bytes, uint modeMask)
    {
        for (var n = 0; n < MaxBackups; n++)
        {
            var name = n == 0 ? target + ".bak" : $"{target}.bak.{n}";
            // O_EXCL|O_NOFOLLOW: anything already there (a backup, a directory, a symlink to a victim) is skipped, never followed.
            var file = FileDescriptor.TryOpen(name, FileDescriptors.O_WRONLY | FileDescriptors.O_CREAT | FileDescriptors.O_EXCL | FileDescriptors.O_NOFOLLOW, 0b110_000_000, out var errno);
            if (file is null)
            {
                if (errno == FileDescriptors.EEXIST) continue;
                throw Refuse(path, target, $"cannot keep the original as {name}: {FileDescriptors.Describe(errno)}; nothing written");
            }
            using (file)
            {
                try
                {
                    file.WriteAll(bytes);
                    file.Own(stat.Uid, stat.Gid);
                    file.Chmod((uint)(stat.Mode & 0xFFF) & modeMask);
                    ExtendedAttributes.Copy(original, file);
                    file.Sync();
                }
                catch (IOException e)
                {
                    FileDescriptors.Unlink(name);
                    throw Refuse(path, target, $"cannot keep the original as {name}: {e.Message}; nothing written");
                }
            }
            return name;
        }
        throw Refuse(path, target, $"{target}.bak through .bak.{MaxBackups - 1} all exist; remove old backups; nothing written");
    }

    private static FileDescriptor CreateExclusive(string path, string dir, string target, out string temp)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var name = Path.Combine(dir, $".{Path.GetFileName(target)}.vfiokit-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp");
            var file = FileDescriptor.TryOpen(name, FileDescriptors.O_WRONLY | FileDescriptors.O_CREAT | FileDescriptors.O_EXCL | FileDescriptors.O_NOFOLLOW, 0b110_000_000, out var errno);
            if (file is not null) { temp = name; return file; }
            if (errno != FileDescriptors.EEXIST)
                throw Refuse(path, target, $"cannot create a temporary file in {dir}: {FileDescriptors.Describe(errno)}; nothing written");
        }
        throw Refuse(path, target, $"cannot create a temporary file in {dir}: every name tried exists");
    }

    private static void SyncDirectory(string path, string dir)
    {
        using var d = FileDescriptor.TryOpen(dir, FileDescriptors.O_RDONLY | FileDescriptors.O_DIRECTORY, 0, out var errno)
            ?? throw new InputException(path, $"written, but its directory {dir} cannot be opened to sync it: {FileDescriptors.Describe(errno)}");
        try { d.Sync(); }
        catch (IOException e) { throw new InputException(path, $"written, but syncing {dir} failed: {e.Message}"); }
    }

    private static void Step(string path, string what, Action action)
    {
        try { action(); }
        catch (IOException e) { throw new InputException(path, $"{what}: {e.Message}; nothing written"); }
    }

    private static InputException Refuse(string path, string target, string message) =>
        new(path, target == Path.GetFullPath(path) ? message : $"(symlink to {target}) {message}");

    private static string LastError() => FileDescriptors.Describe(Marshal.GetLastPInvokeError());
}
