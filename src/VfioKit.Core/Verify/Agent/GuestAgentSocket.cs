using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VfioKit.Processes;

namespace VfioKit.Verify.Agent;

/// <summary>
/// The QEMU guest agent's own socket (the host side of <c>-chardev socket,path=SOCKET,server=on,wait=off,id=qga0
/// -device virtserialport,chardev=qga0,name=org.qemu.guest_agent.0</c>, or <c>qemu-ga -m unix-listen</c>):
/// one JSON command per line out, one JSON answer per line back. Answers are bounded in length, and the
/// first exchange is a guest-sync with a fresh id so a stale answer left in the channel is never taken
/// for the next one.
/// </summary>
public sealed class GuestAgentSocket : IGuestAgentChannel
{
    /// <summary>The longest answer line read: base64 of qemu-ga's 16 MiB output cap, with room for the JSON around it.</summary>
    public const int MaxAnswerBytes = 24 * 1024 * 1024;

    private readonly NetworkStream _stream;
    private readonly LineReader _lines;

    private GuestAgentSocket(Socket socket)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        // 0xff is guest-sync-delimited's marker; never part of JSON.
        _lines = new LineReader(_stream, MaxAnswerBytes) { Dropped = 0xff };
    }

    /// <exception cref="GuestAgentException">Nothing listens on the socket, or the agent does not answer guest-sync.</exception>
    public static async Task<GuestAgentSocket> ConnectAsync(string path, CancellationToken cancellation)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellation).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new GuestAgentException($"cannot connect to the guest agent socket {path}: {e.Message}", e);
        }
        var channel = new GuestAgentSocket(socket);
        try
        {
            await channel.SyncAsync(cancellation).ConfigureAwait(false);
            return channel;
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<JsonElement> ExecuteAsync(string command, CancellationToken cancellation)
    {
        await SendAsync(command, cancellation).ConfigureAwait(false);
        using var answer = await ReadAnswerAsync(cancellation).ConfigureAwait(false);
        return GuestAgentAnswers.ReturnOf(answer.RootElement);
    }

    private async Task SyncAsync(CancellationToken cancellation)
    {
        var id = Random.Shared.NextInt64(1, int.MaxValue);
        await SendAsync(GuestAgentCommands.Sync(id), cancellation).ConfigureAwait(false);
        // Answers to commands an earlier client sent may still be queued: skip them until ours.
        for (var skipped = 0; skipped < 64; skipped++)
        {
            using var answer = await ReadAnswerAsync(cancellation).ConfigureAwait(false);
            if (answer.RootElement.TryGetProperty("return", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt64(out var got) && got == id)
                return;
        }
        throw new GuestAgentException("the guest agent did not answer guest-sync");
    }

    private async Task SendAsync(string command, CancellationToken cancellation)
    {
        var bytes = Encoding.UTF8.GetBytes(command + "\n");
        try { await _stream.WriteAsync(bytes, cancellation).ConfigureAwait(false); }
        catch (IOException e) { throw new GuestAgentException("the guest agent closed the connection: " + e.Message, e); }
    }

    private async Task<JsonDocument> ReadAnswerAsync(CancellationToken cancellation)
    {
        while (true)
        {
            byte[] line;
            try { line = await _lines.ReadLineAsync(cancellation).ConfigureAwait(false); }
            catch (LineReadException e) { throw new GuestAgentException($"the guest agent {e.Message}", e); }
            if (line.Length == 0) continue;
            try { return JsonDocument.Parse(line); }
            catch (JsonException e) { throw new GuestAgentException("the guest agent answered with something that is not JSON: " + e.Message, e); }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
