using System.Text;
using VfioKit.Processes;

namespace VfioKit.Run;

/// <summary>
/// Host files below a root directory: `/` on a live host, a copy of a snapshot in rehearsals and tests. A
/// rehearsal tree is plain files, so where the kernel would make or drop files on its own this does it for the
/// tree: a new cgroup gets the interface files the run writes (cgroup.procs, and cpuset.cpus and cpuset.mems
/// where its parent has them), and loses them when it is removed. Commands (systemctl) run on a live host only.
/// </summary>
public sealed class RootedHostFiles(string root) : IHostFiles
{
    private static readonly string[] CgroupFiles = ["cgroup.procs", "cpuset.cpus", "cpuset.mems"];

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The real host: writes go to the kernel, which makes a cgroup's files itself.</summary>
    public bool IsLiveHost => Root == "/";

    public string FullPath(string path) => Path.Combine(Root, path.TrimStart('/'));

    public string? ReadText(string path)
    {
        var full = FullPath(path);
        if (!File.Exists(full)) return null;
        try { return File.ReadAllText(full).TrimEnd('\n'); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public string? LinkName(string path)
    {
        try
        {
            var target = new FileInfo(FullPath(path)).LinkTarget;
            return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public bool IsDirectory(string path) => Directory.Exists(FullPath(path));

    public IReadOnlyList<string> Directories(string path)
    {
        try
        {
            return Directory.Exists(FullPath(path))
                ? [.. Directory.EnumerateDirectories(FullPath(path)).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)]
                : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    public void Write(HostWrite write)
    {
        var full = FullPath(write.Path);
        try
        {
            switch (write.Kind)
            {
                case HostWriteKind.MakeDirectory: MakeCgroup(full); return;
                case HostWriteKind.RemoveDirectory: RemoveCgroup(full); return;
                case HostWriteKind.Command: Run(write); return;
            }
            // FileMode.Open, never Create: a sysfs attribute that is not there means the device or driver is
            // gone, and creating a plain file in its place would hide that.
            using var handle = File.OpenHandle(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            RandomAccess.Write(handle, Encoding.UTF8.GetBytes(write.Value), 0);
            // Plain files in a rehearsal tree keep old bytes past the new end; sysfs has no length to set.
            if (!full.StartsWith("/sys/", StringComparison.Ordinal)) RandomAccess.SetLength(handle, Encoding.UTF8.GetByteCount(write.Value));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new HostChangeException($"{write} failed: {e.Message}", e);
        }
    }

    private void MakeCgroup(string full)
    {
        // mkdir(2) semantics: an existing directory is someone else's (or a run's that was not restored).
        if (Directory.Exists(full) || File.Exists(full)) throw new IOException("File exists");
        var parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent)) throw new IOException("No such file or directory");
        Directory.CreateDirectory(full);
        if (IsLiveHost) return;
        foreach (var name in CgroupFiles)
            if (name == "cgroup.procs" || File.Exists(Path.Combine(parent, name))) File.WriteAllBytes(Path.Combine(full, name), []);
    }

    private void RemoveCgroup(string full)
    {
        if (!IsLiveHost)
            foreach (var name in CgroupFiles) File.Delete(Path.Combine(full, name));
        // Not recursive: rmdir(2), which a cgroup with a process (or a child) in it refuses.
        Directory.Delete(full, recursive: false);
    }

    private void Run(HostWrite write)
    {
        // A rehearsal tree has no systemd to ask; the run refuses such a tree before it changes anything.
        if (!IsLiveHost) throw new HostChangeException($"{write}: not run under --root {Root} (only a live host has systemd)");
        ProgramOutput output;
        try { output = ExternalProgram.Run(write.Argv[0], [.. write.Argv.Skip(1)], TimeSpan.FromSeconds(30)); }
        catch (Exception e) when (e is ProgramNotStartedException or ExternalProgramException)
        {
            throw new HostChangeException($"{write} failed: {e.Message}", e);
        }
        if (!output.Succeeded) throw new HostChangeException($"{write} failed (exit {output.ExitCode}): {output.Error.Trim()}");
    }
}
