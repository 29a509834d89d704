using System.Buffers.Binary;
using VfioKit.Processes;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using VfioKit.Vm;

namespace VfioKit.Probe;

/// <summary>
/// The guest kernel as QEMU boots it. A bzImage spends seconds under TCG decompressing itself; the same
/// kernel unpacked once into its ELF (vmlinux) and started through its PVH entry point skips that and
/// boots in about half the time, with the same firmware, ACPI tables and PCI enumeration. The unpacked
/// image is kept in a cache directory keyed by the bzImage's path, size and modification time.
/// </summary>
/// <param name="Path">What to pass to -kernel.</param>
/// <param name="Source">The bzImage it came from.</param>
/// <param name="IsPvh">True when <see cref="Path"/> is the unpacked ELF started through PVH.</param>
/// <param name="Note">Why the bzImage is booted as is, when it is.</param>
public sealed record KernelImage(string Path, string Source, bool IsPvh, string? Note = null)
{
    private static ReadOnlySpan<byte> XzMagic => [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];
    private const uint XenElfNotePhys32Entry = 18;

    /// <summary>Machine types before 4.0 cannot boot an ELF through PVH (QEMU's pvh_enabled compat property).</summary>
    public static readonly MachineVersion PvhIntroduced = new(4, 0);

    /// <summary>The image to boot <paramref name="machine"/> with: the bzImage itself for machine types older than 4.0.</summary>
    public KernelImage For(Machine machine) =>
        IsPvh && machine.Version is { } v && v < PvhIntroduced
            ? new KernelImage(Source, Source, false, $"machine type {machine.Type} predates PVH boot (QEMU 4.0)")
            : this;

    /// <summary>True when the file starts like an x86 boot-protocol image ("HdrS" at 0x202).</summary>
    public static bool LooksBootable(string path)
    {
        try
        {
            var head = ProbeTools.ReadHead(path, 0x400);
            return head.Length >= 0x206 && Encoding.ASCII.GetString(head, 0x202, 4) == "HdrS";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>The fastest faithful way to boot <paramref name="bzImage"/>: the cached PVH ELF, made on first
    /// use, or the bzImage itself when it cannot be unpacked (unknown compression, no PVH entry, no xz).</summary>
    public static KernelImage Prepare(string bzImage, string cacheDirectory)
    {
        var info = new FileInfo(bzImage);
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}")))[..16];
        var cached = System.IO.Path.Combine(cacheDirectory, "kernels", key + ".vmlinux");
        if (File.Exists(cached)) return new KernelImage(cached, bzImage, true);

        var (elf, why) = Unpack(File.ReadAllBytes(bzImage));
        if (elf is null) return new KernelImage(bzImage, bzImage, false, why);
        if (!HasPvhEntry(elf)) return new KernelImage(bzImage, bzImage, false, "the kernel has no PVH entry point (CONFIG_PVH)");

        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(cached)!);
            // Written beside and renamed: two probes starting at once never boot half a file.
            var temp = cached + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temp, elf);
            File.Move(temp, cached, overwrite: true);
            return new KernelImage(cached, bzImage, true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new KernelImage(bzImage, bzImage, false, $"the cache {cacheDirectory} is not writable: {e.Message}");
        }
    }

    /// <summary>The compressed payload of a bzImage (boot protocol 2.08+: payload_offset/payload_length),
    /// decompressed; null and a reason when that is not possible here.</summary>
    internal static (byte[]? Elf, string? Why) Unpack(byte[] image)
    {
        if (image.Length < 0x250 || Encoding.ASCII.GetString(image, 0x202, 4) != "HdrS")
            return (null, "not a bzImage");
        if (BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan(0x206)) < 0x208)
            return (null, "boot protocol older than 2.08 (no payload fields)");
        var setupSectors = image[0x1f1] == 0 ? 4 : image[0x1f1];
        var start = (long)(setupSectors + 1) * 512 + BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(0x248));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(0x24c));
        if (start + length > image.Length) return (null, "the payload lies outside the file");
        var payload = image.AsMemory((int)start, (int)length);

        try
        {
            if (payload.Span.StartsWith(GzipMagic))
            {
                using var gz = new GZipStream(new MemoryStream(payload.ToArray()), CompressionMode.Decompress);
                using var output = new MemoryStream();
                gz.CopyTo(output);
                return (output.ToArray(), null);
            }
            if (payload.Span.StartsWith(XzMagic))
                return RunDecompressor("xz", ["-dc", "--single-stream"], payload);
        }
        catch (InvalidDataException e) { return (null, "the payload does not decompress: " + e.Message); }
        return (null, "the kernel's compression is not gzip or xz");
    }

    private static (byte[]?, string?) RunDecompressor(string tool, string[] arguments, ReadOnlyMemory<byte> input)
    {
        try
        {
            // A kernel image decompresses to tens of MiB; 256 MiB bounds a hostile payload.
            var run = ExternalProgram.Run(tool, arguments, TimeSpan.FromSeconds(60), input, maxOutputBytes: 256 << 20);
            return run.Succeeded ? (run.Output, null) : (null, $"{tool} failed: {run.Error.Trim()}");
        }
        catch (ProgramNotStartedException) { return (null, $"{tool} is not installed (apt-get install xz-utils)"); }
        catch (ExternalProgramException e) { return (null, e.Message); }
    }

    /// <summary>True for an x86-64 ELF with the Xen PVH entry note, which QEMU's -kernel boots directly.</summary>
    internal static bool HasPvhEntry(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2) return false;
        var phoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x20..]);
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x36..]);
        var phnum = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x38..]);
        for (var i = 0; i < phnum; i++)
        {
            var ph = elf[(int)(phoff + i * phentsize)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(ph) != 4 /* PT_NOTE */) continue;
            var offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(ph[8..]);
            var size = (long)BinaryPrimitives.ReadUInt64LittleEndian(ph[32..]);
            if (offset + size > elf.Length) continue;
            var notes = elf.Slice((int)offset, (int)size);
            while (notes.Length >= 12)
            {
                var nameSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes);
                var descSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes[4..]);
                var type = BinaryPrimitives.ReadUInt32LittleEndian(notes[8..]);
                var name = notes.Slice(12, Math.Min(nameSize, notes.Length - 12));
                if (type == XenElfNotePhys32Entry && name.StartsWith("Xen"u8)) return true;
                var next = 12 + Align4(nameSize) + Align4(descSize);
                if (next <= 0 || next > notes.Length) break;
                notes = notes[next..];
            }
        }
        return false;
    }

    private static int Align4(int n) => (n + 3) & ~3;
}
