using System.Buffers.Binary;

namespace VfioKit.Probe;

/// <summary>The three things a probe guest needs, found and checked: QEMU, a guest kernel, a static busybox.</summary>
public sealed record ProbeTools(string Qemu, string Kernel, string Busybox)
{
    private const string KernelHow =
        "Pass --kernel PATH (a bzImage such as /boot/vmlinuz-*), set $VFIOKIT_LAB_KERNEL, or run scripts/install-deps.sh " +
        "to unpack Debian's linux-image into .cache/lab/vmlinuz";

    /// <summary>Finds and checks every tool.</summary>
    /// <exception cref="MissingToolException">One of them is missing or unusable; the message says how to get it.</exception>
    public static ProbeTools Locate(ToolSearch search) =>
        new(FindQemu(search.SearchPath), FindKernel(search), CheckBusybox(search.Busybox));

    public static string FindQemu(string? searchPath)
    {
        foreach (var dir in (searchPath ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, ToolSearch.Qemu);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        throw new MissingToolException(ToolSearch.Qemu,
            $"{ToolSearch.Qemu} was not found in PATH ({(string.IsNullOrEmpty(searchPath) ? "empty" : searchPath)})",
            "Install it: apt-get install qemu-system-x86 (Debian/Ubuntu) or dnf install qemu-system-x86 (Fedora)");
    }

    public static string FindKernel(ToolSearch search)
    {
        if (search.Kernel is { } given) return CheckKernel(given, "--kernel");
        if (!string.IsNullOrEmpty(search.KernelFromEnvironment)) return CheckKernel(search.KernelFromEnvironment, "$" + ToolSearch.KernelVariable);

        var unreadable = new List<string>();
        if (Directory.Exists(search.BootDirectory))
        {
            // Newest first by name, as the boot loader menu orders them.
            foreach (var path in Directory.GetFiles(search.BootDirectory, "vmlinuz-*").OrderDescending(StringComparer.Ordinal))
            {
                if (CanRead(path)) return path;
                unreadable.Add(path);
            }
        }
        // The launcher's .cache/aot/../lab and the working directory's .cache/lab are one place when run from the
        // repository: each path is looked in, and named, once.
        var fallbacks = (search.FallbackKernels ?? []).Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        foreach (var path in fallbacks)
            if (File.Exists(path) && CanRead(path)) return path;

        var seen = unreadable.Count > 0
            ? $"no readable guest kernel: {string.Join(", ", unreadable)} cannot be read by this user"
            : $"no guest kernel found (looked in {search.BootDirectory}/vmlinuz-*{string.Concat(fallbacks.Select(f => ", " + f))})";
        throw new MissingToolException("kernel", seen, KernelHow);
    }

    private static string CheckKernel(string path, string from)
    {
        if (!File.Exists(path))
            throw new MissingToolException("kernel", $"the guest kernel {path} (from {from}) does not exist", KernelHow);
        if (!CanRead(path))
            throw new MissingToolException("kernel", $"the guest kernel {path} (from {from}) cannot be read by this user",
                "Make it readable (sudo chmod a+r, or copy it: sudo install -m 644 " + path + " ~/vmlinuz) or " + char.ToLowerInvariant(KernelHow[0]) + KernelHow[1..]);
        if (!KernelImage.LooksBootable(path))
            throw new MissingToolException("kernel", $"{path} (from {from}) is not an x86 Linux kernel image (bzImage)", KernelHow);
        return path;
    }

    public static string CheckBusybox(string path)
    {
        const string how = "Install the statically linked busybox: apt-get install busybox-static (Debian/Ubuntu), dnf install busybox (Fedora)";
        if (!File.Exists(path) || !CanRead(path))
            throw new MissingToolException("busybox", $"busybox was not found at {path}", how);
        byte[] head;
        try { head = ReadHead(path, 4096); }
        catch (IOException e) { throw new MissingToolException("busybox", $"busybox at {path} cannot be read: {e.Message}", how, e); }
        if (!IsStaticElf(head))
            throw new MissingToolException("busybox", $"{path} is not a statically linked x86-64 program (a guest has no libraries to load)", how);
        return path;
    }

    /// <summary>An x86-64 ELF with no PT_INTERP program header: it runs in an empty initramfs.</summary>
    internal static bool IsStaticElf(ReadOnlySpan<byte> head)
    {
        if (head.Length < 64 || head[0] != 0x7f || head[1] != (byte)'E' || head[2] != (byte)'L' || head[3] != (byte)'F') return false;
        if (head[4] != 2 || head[5] != 1 || BinaryPrimitives.ReadUInt16LittleEndian(head[0x12..]) != 0x3e) return false;
        var phoff = BinaryPrimitives.ReadUInt64LittleEndian(head[0x20..]);
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(head[0x36..]);
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(head[0x38..]);
        for (var i = 0; i < phnum; i++)
        {
            var at = phoff + (ulong)(i * phentsize);
            if (at + 4 > (ulong)head.Length) return false;
            if (BinaryPrimitives.ReadUInt32LittleEndian(head[(int)at..]) == 3 /* PT_INTERP */) return false;
        }
        return true;
    }

    private static bool CanRead(string path)
    {
        try
        {
            using var s = File.OpenRead(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    internal static byte[] ReadHead(string path, int count)
    {
        using var s = File.OpenRead(path);
        var buffer = new byte[Math.Min(count, s.Length)];
        s.ReadExactly(buffer);
        return buffer;
    }
}
