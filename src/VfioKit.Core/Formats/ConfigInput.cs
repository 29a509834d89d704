using System.Text;
using VfioKit.Diagnostics;

namespace VfioKit.Formats;

/// <summary>Reads a configuration file (or "-" for stdin) as text, refusing what cannot be a VM configuration.</summary>
public static class ConfigInput
{
    /// <summary>Real configurations are a few KiB; anything this large is not one (and is not read whole).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    public static string Read(string path, TextReader stdin)
    {
        if (path == "-")
        {
            var buffer = new char[MaxBytes + 1];
            var total = 0;
            int n;
            while (total <= MaxBytes && (n = stdin.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            if (total > MaxBytes) throw TooLarge(path, total);
            return new string(buffer, 0, total);
        }
        return Decode(path, ReadBytes(path));
    }

    /// <summary>A file's bytes (from <see cref="ReadBytes"/>) as text; invalid UTF-8 is an input error at its line.</summary>
    public static string Decode(string path, byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? e.Index : 0;
            var line = 1 + bytes.AsSpan(0, Math.Min(at, bytes.Length)).Count((byte)'\n');
            throw new InputException(path, line, null, "not UTF-8 text: binary data, not a VM configuration");
        }
    }

    /// <summary>The file's bytes; a FIFO, socket, device or directory is refused at once, never opened for reading
    /// (a FIFO would block, /dev/zero never ends, /dev/watchdog arms on open).</summary>
    public static byte[] ReadBytes(string path) =>
        Files.RegularFile.TryReadAll(path, MaxBytes, out var refusal) ?? throw new InputException(path, refusal!);

    private static InputException TooLarge(string path, long bytes) =>
        new(path, 1, null, $"{bytes / 1024} KiB is too large for a VM configuration (at most {MaxBytes / 1024 / 1024} MiB)");
}
