using System.Net.Sockets;

namespace VfioKit.Processes;

/// <summary>
/// Lines from a stream another program writes, one JSON message each (QEMU's QMP socket, the guest agent's),
/// not trusted: a line is at most <c>maxLineBytes</c>, the end of the stream or a broken connection is an
/// error, and every read honours the caller's cancellation, which carries the exchange's deadline (a peer
/// dripping a byte at a time cannot hold it longer). Each protocol wraps a <see cref="LineReadException"/> in its own.
/// </summary>
public sealed class LineReader(Stream stream, int maxLineBytes)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start, _end;

    /// <summary>A byte dropped wherever it appears (the guest agent's 0xff guest-sync-delimited marker; never part of JSON).</summary>
    public byte? Dropped { get; init; }

    /// <summary>The next line without its newline, as bytes.</summary>
    /// <exception cref="LineReadException">The peer closed or broke the connection, or sent too long a line.</exception>
    /// <exception cref="OperationCanceledException">The deadline (or the caller) cancelled the read.</exception>
    public async Task<byte[]> ReadLineAsync(CancellationToken cancellation)
    {
        using var line = new MemoryStream();
        while (true)
        {
            if (_start == _end)
            {
                int read;
                try { read = await stream.ReadAsync(_buffer, cancellation).ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or SocketException) { throw new LineReadException($"lost the connection: {e.Message}", e); }
                if (read == 0) throw new LineReadException("closed the connection before a complete line");
                _start = 0;
                _end = read;
            }
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = newline < 0 ? _end : newline;
            if (Dropped is { } dropped)
            {
                for (var i = _start; i < stop; i++)
                    if (_buffer[i] != dropped) line.WriteByte(_buffer[i]);
            }
            else line.Write(_buffer, _start, stop - _start);
            if (line.Length > maxLineBytes) throw new LineReadException($"sent a line longer than {Size(maxLineBytes)} without a newline");
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0) return line.ToArray();
        }
    }

    private static string Size(int bytes) =>
        bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : $"{bytes} bytes";
}
